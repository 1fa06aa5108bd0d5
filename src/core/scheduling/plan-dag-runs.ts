import { nextRun, restrictionFor } from '../timetables/index.ts';
import type { PlannedRun } from '../timetables/index.ts';
import type { CommandOfType, DagSchedulingState, SchedulerCommand } from './types.ts';

/** A bound on runs created for one DAG in one decision, so a long catchup cannot stall a loop. */
export const MAX_RUNS_CREATED_PER_DECISION = 64;

/** Airflow's run id for scheduled runs. */
export function scheduledRunId(logicalDate: number): string {
  return `scheduled__${new Date(logicalDate).toISOString()}`;
}

/**
 * Which runs of one DAG to create and start now. Runs come from the timetable after the last
 * automated run (so catchup, start and end dates apply as the timetable defines them), only once
 * their `runAfter` has passed, and only while queued + running runs stay under maxActiveRuns.
 * Then queued runs (older ones and the new ones) start, oldest logical date first, while running
 * runs stay under maxActiveRuns. A paused DAG creates and starts nothing.
 */
export function planDagRuns(state: DagSchedulingState, now: number): SchedulerCommand[] {
  if (state.isPaused) return [];
  const { created, next } = plannedRunsDue(state, now);
  const commands: SchedulerCommand[] = [];
  const toStart = runsToStart(state, created);
  for (const run of created) {
    const runId = scheduledRunId(run.logicalDate);
    commands.push({ type: 'create_run', dagId: state.dagId, runId, versionHash: state.versionHash, run, state: toStart.has(runId) ? 'running' : 'queued' });
  }
  for (const queued of state.queuedRuns) {
    if (toStart.has(queued.runId)) commands.push({ type: 'start_run', dagId: state.dagId, runId: queued.runId });
  }
  commands.push({ type: 'set_next_dagrun', dagId: state.dagId, next } satisfies CommandOfType<'set_next_dagrun'>);
  return commands;
}

/**
 * Whether the timetable has a run due now after the last automated run: only then does a decision
 * look at the logical dates other runs have taken (takenLogicalDates), so a snapshot without a run
 * due (a DAG without a schedule, a schedule not due yet) needs none of them.
 */
export function hasRunDue(dag: DagSchedulingState['dag'], lastAutomatedRun: PlannedRun | null, now: number): boolean {
  const next = nextRun(dag.timetable, lastAutomatedRun, restrictionFor(dag), now);
  return next !== null && next.runAfter <= now;
}

/** The runs due now that fit under maxActiveRuns, and the first run not created (the next one). */
function plannedRunsDue(state: DagSchedulingState, now: number): { created: PlannedRun[]; next: PlannedRun | null } {
  const restriction = restrictionFor(state.dag);
  const room = Math.min(MAX_RUNS_CREATED_PER_DECISION, state.maxActiveRuns - state.runningRuns - state.queuedRuns.length);
  const created: PlannedRun[] = [];
  let last = state.lastAutomatedRun;
  let next = nextRun(state.dag.timetable, last, restriction, now);
  while (next !== null && next.runAfter <= now && created.length < room) {
    // Another run (a manual one, say) already has this logical date: like Airflow, leave it be.
    if (!state.takenLogicalDates.has(next.logicalDate)) created.push(next);
    const previous: PlannedRun = next;
    last = next;
    next = nextRun(state.dag.timetable, last, restriction, now);
    if (next !== null && next.logicalDate <= previous.logicalDate) next = null; // a timetable that stopped advancing
  }
  return { created, next };
}

/** Run ids to move to running: queued ones and new ones, oldest logical date first. */
function runsToStart(state: DagSchedulingState, created: PlannedRun[]): Set<string> {
  const free = state.maxActiveRuns - state.runningRuns;
  if (free <= 0) return new Set();
  const candidates = [
    ...state.queuedRuns.map((run) => ({ runId: run.runId, order: run.logicalDate ?? run.queuedAt ?? Number.MAX_SAFE_INTEGER })),
    ...created.map((run) => ({ runId: scheduledRunId(run.logicalDate), order: run.logicalDate })),
  ];
  candidates.sort((a, b) => a.order - b.order || (a.runId < b.runId ? -1 : 1));
  return new Set(candidates.slice(0, free).map((candidate) => candidate.runId));
}
