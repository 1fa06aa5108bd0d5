export { decide } from './decide.ts';
export { decideRun } from './decide-run.ts';
export { pastDependenciesMet } from './past-dependencies.ts';
export { hasRunDue, MAX_RUNS_CREATED_PER_DECISION, planDagRuns, scheduledRunId } from './plan-dag-runs.ts';
export { nextTryNumber, selectTasksToQueue } from './select-tasks-to-queue.ts';
export { isSilent, silentTryOutcome } from './task-heartbeat-timeout.ts';
export type { SilentTry, SilentTryOutcome } from './task-heartbeat-timeout.ts';
export { runKeyOf } from './types.ts';
export type {
  CommandOfType,
  DagSchedulingState,
  PreviousRunState,
  QueueCandidate,
  QueueLimits,
  QueueState,
  QueuedRunState,
  RunSchedulingState,
  SchedulerCommand,
  SchedulerSnapshot,
  TiState,
} from './types.ts';
