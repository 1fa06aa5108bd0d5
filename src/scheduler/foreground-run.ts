import type { JsonObject } from '../contracts/json.ts';
import type { SerializedDag } from '../contracts/serialized-dag.ts';
import type { DagRunState, TaskInstanceState } from '../contracts/states.ts';
import type { TaskWorkload } from '../contracts/workload.ts';
import { evaluateRun, manualDataInterval, priorityWeights, runOutcome, tasksAtEffectiveWeights, tasksById } from '../core/index.ts';
import {
  createDagRunWithTaskInstances,
  deleteDagRun,
  listTaskInstances,
  runTransaction,
  setDagRunState,
  setTaskInstanceState,
  type Store,
} from '../store/index.ts';
import { buildWorkload } from './build-workload.ts';

export type ForegroundRunEvent =
  | { type: 'run_created'; runId: string; logicalDate: number }
  | { type: 'task_started'; taskId: string; tryNumber: number }
  | { type: 'task_finished'; taskId: string; tryNumber: number; state: TaskInstanceState; durationMs: number }
  | { type: 'tasks_marked'; taskIds: string[]; state: 'skipped' | 'upstream_failed' }
  | { type: 'waiting_for_retry'; taskId: string; until: number }
  | { type: 'run_finished'; state: DagRunState };

export interface ForegroundRunOptions {
  store: Store;
  dag: SerializedDag;
  versionHash: string;
  logicalDate: number;
  conf: JsonObject;
  /** Runs one try and returns the state its task instance ended in (a supervisor, or an executor). */
  runTry: (workload: TaskWorkload) => Promise<TaskInstanceState>;
  onEvent?: (event: ForegroundRunEvent) => void;
  clock?: { now(): number; sleep(ms: number): Promise<void> };
}

export interface ForegroundRunResult {
  runId: string;
  state: DagRunState;
  taskStates: Map<string, TaskInstanceState>;
}

const systemClock = { now: Date.now, sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)) };

/**
 * Runs one DAG run to the end in the foreground, one task at a time in dependency order, as
 * Airflow's `dags test` does: trigger rules, branching skips, retries after their delay and
 * timeouts all apply, and everything is recorded in the store. An earlier run with the same logical
 * date is replaced. Pools and concurrency limits do not apply: there is only ever one task running.
 */
export async function runDagInForeground(options: ForegroundRunOptions): Promise<ForegroundRunResult> {
  const { store, dag, clock = systemClock } = options;
  const emit = options.onEvent ?? (() => {});
  const runId = `manual__${new Date(options.logicalDate).toISOString()}`;
  const interval = manualDataInterval(dag.timetable, options.logicalDate);

  await runTransaction(store.db, async (trx) => {
    await deleteDagRun(trx, { dagId: dag.dagId, runId, logicalDate: options.logicalDate });
    await createDagRunWithTaskInstances(
      trx,
      {
        dagId: dag.dagId,
        runId,
        runType: 'manual',
        state: 'running',
        logicalDate: options.logicalDate,
        dataIntervalStart: interval.start,
        dataIntervalEnd: interval.end,
        runAfter: options.logicalDate,
        conf: options.conf,
        dagVersionHash: options.versionHash,
        triggeredBy: 'test',
        now: clock.now(),
      },
      tasksAtEffectiveWeights(dag),
    );
  });
  emit({ type: 'run_created', runId, logicalDate: options.logicalDate });

  const runKey = { dagId: dag.dagId, runId };
  for (;;) {
    const instances = await listTaskInstances(store.db, runKey);
    const states = new Map(instances.map((ti) => [ti.taskId, ti.state]));
    const decision = evaluateRun(dag, states);
    for (const [state, taskIds] of [['skipped', decision.skip], ['upstream_failed', decision.upstreamFailed]] as const) {
      if (taskIds.length === 0) continue;
      for (const taskId of taskIds) await setTaskInstanceState(store.db, { ...runKey, taskId, mapIndex: -1 }, { from: ['none'], to: state, now: clock.now() });
      emit({ type: 'tasks_marked', taskIds, state });
    }
    if (decision.skip.length > 0 || decision.upstreamFailed.length > 0) continue;

    // Tasks waiting to try again (retry) or to poke again (sensor in reschedule mode), soonest first.
    const waiting = instances
      .filter((ti) => ti.state === 'up_for_retry' || ti.state === 'up_for_reschedule')
      .sort((a, b) => (a.nextAttemptAt ?? 0) - (b.nextAttemptAt ?? 0));
    const nextTaskId = decision.ready[0] ?? waiting[0]?.taskId;
    if (nextTaskId === undefined) break;

    const instance = instances.find((ti) => ti.taskId === nextTaskId)!;
    if (instance.state !== 'none' && instance.nextAttemptAt !== null && instance.nextAttemptAt > clock.now()) {
      emit({ type: 'waiting_for_retry', taskId: nextTaskId, until: instance.nextAttemptAt });
      await clock.sleep(instance.nextAttemptAt - clock.now());
    }
    // A reschedule continues the same try; anything else starts the next one.
    const tryNumber = instance.state === 'up_for_reschedule' ? instance.tryNumber : instance.tryNumber + 1;
    const key = { ...runKey, taskId: nextTaskId, mapIndex: -1, tryNumber };
    await setTaskInstanceState(store.db, key, { from: [instance.state], to: 'queued', now: clock.now() });
    const task = tasksById(dag).get(nextTaskId)!;
    emit({ type: 'task_started', taskId: nextTaskId, tryNumber: key.tryNumber });
    const started = clock.now();
    const state = await options.runTry(buildWorkload(dag, task, key, options.versionHash, priorityWeights(dag).get(nextTaskId) ?? task.priorityWeight));
    emit({ type: 'task_finished', taskId: nextTaskId, tryNumber: key.tryNumber, state, durationMs: clock.now() - started });
  }

  const finalStates = new Map((await listTaskInstances(store.db, runKey)).map((ti) => [ti.taskId, ti.state]));
  const outcome = runOutcome(dag, finalStates);
  const state: DagRunState = outcome === 'running' ? 'failed' : outcome;
  await setDagRunState(store.db, runKey, state, clock.now());
  emit({ type: 'run_finished', state });
  return { runId, state, taskStates: finalStates };
}
