import type { SerializedDag } from '../../contracts/serialized-dag.ts';
import type { DagRunState, TaskInstanceState } from '../../contracts/states.ts';
import type { TaskInstanceKey } from '../../contracts/task-instance.ts';
import type { PlannedRun } from '../timetables/index.ts';

/**
 * What the scheduler knows about one DAG when it decides which runs to create and start. Read in
 * one transaction with the DAG row locked, so the counts cannot change under the decision.
 */
export interface DagSchedulingState {
  dagId: string;
  /** The latest serialized version: new runs are created with it. */
  dag: SerializedDag;
  versionHash: string;
  isPaused: boolean;
  /** The DAG row's max_active_runs (the latest version's maxActiveRuns). */
  maxActiveRuns: number;
  /** The newest scheduled or backfill run by logical date, as its timetable laid it out. */
  lastAutomatedRun: PlannedRun | null;
  runningRuns: number;
  /** Queued runs of any type, to be started oldest logical date first. */
  queuedRuns: QueuedRunState[];
  /** Logical dates that already have a run, among those the timetable may propose next. */
  takenLogicalDates: ReadonlySet<number>;
}

export interface QueuedRunState {
  runId: string;
  logicalDate: number | null;
  queuedAt: number | null;
}

/** One task instance as the per-run decision needs it. */
export interface TiState {
  taskId: string;
  mapIndex: number;
  state: TaskInstanceState;
  tryNumber: number;
  nextAttemptAt: number | null;
}

/** The same run's previous run (by logical date), for dependsOnPast and waitForDownstream. */
export interface PreviousRunState {
  runId: string;
  /** Task id -> state of its task instance in that run. */
  states: ReadonlyMap<string, TaskInstanceState>;
}

/** A running DAG run with its task instances and the DAG version it was created with. */
export interface RunSchedulingState {
  dagId: string;
  runId: string;
  logicalDate: number | null;
  startDate: number | null;
  dag: SerializedDag;
  tis: TiState[];
  /** null when this is the first run (or the run has no logical date). */
  previousRun: PreviousRunState | null;
}

/** A `scheduled` task instance that may be handed to an executor. */
export interface QueueCandidate {
  key: TaskInstanceKey;
  /** The TI's current try number (0 before the first try). */
  tryNumber: number;
  /** True when its current try waits in up_for_reschedule: that same try resumes. */
  resumesTry: boolean;
  priorityWeight: number;
  logicalDate: number | null;
  pool: string;
  poolSlots: number;
  /** Resolved executor name (the task's, else the default). */
  executor: string;
  /** maxActiveTasks of the run's DAG version. */
  maxActiveTasks: number;
}

/** Limits counted inside the queueing transaction, after the pool rows are locked. */
export interface QueueLimits {
  /** Open slots per pool; a pool missing here does not exist and queues nothing. */
  poolOpenSlots: ReadonlyMap<string, number>;
  /** Queued + running task instances per run key (`dagId\u0000runId`). */
  activeTasksPerRun: ReadonlyMap<string, number>;
  /** Free slots per executor name; an executor missing here is not configured. */
  executorSlots: ReadonlyMap<string, number>;
  /** What is left of core.parallelism for this scheduler. */
  parallelism: number;
}

export interface QueueState {
  candidates: QueueCandidate[];
  limits: QueueLimits;
}

/**
 * Everything decide() looks at. Each part is optional so that the loop can decide one phase at a
 * time, each in its own transaction, with the same function.
 */
export interface SchedulerSnapshot {
  dags?: DagSchedulingState[];
  runs?: RunSchedulingState[];
  queue?: QueueState;
}

/**
 * What the scheduler should do, as data. Every state change names the state it expects
 * (compare-and-set): the loop applies it only if the row is still in that state.
 */
export type SchedulerCommand =
  | {
      type: 'create_run';
      dagId: string;
      runId: string;
      versionHash: string;
      run: PlannedRun;
      /** `running` when a maxActiveRuns slot is free for it now, else `queued`. */
      state: Extract<DagRunState, 'queued' | 'running'>;
    }
  /** The next automated run to expect (null: none), for the due-DAG index and the UI. */
  | { type: 'set_next_dagrun'; dagId: string; next: PlannedRun | null }
  | { type: 'start_run'; dagId: string; runId: string }
  | { type: 'set_ti_state'; key: TaskInstanceKey; from: TaskInstanceState; to: TaskInstanceState; whenTryNumber: number }
  | { type: 'finish_run'; dagId: string; runId: string; state: Extract<DagRunState, 'success' | 'failed'>; reason: 'tasks_done' | 'timeout' }
  | { type: 'queue_ti'; key: TaskInstanceKey; fromTryNumber: number; tryNumber: number; executor: string; priorityWeight: number };

export type CommandOfType<T extends SchedulerCommand['type']> = Extract<SchedulerCommand, { type: T }>;

/** The key used for per-run maps. */
export function runKeyOf(dagId: string, runId: string): string {
  return `${dagId}\u0000${runId}`;
}

/** Plain code-unit order, so results do not depend on the host's locale. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
