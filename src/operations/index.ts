/** Operations people perform on DAGs and runs; the CLI and the API server both call these. */
export { triggerDagRun, type TriggerOptions } from './trigger-dag-run.ts';
export { clearTasks, type ClearOptions, type ClearPlan } from './clear-tasks.ts';
export { setTaskState, SETTABLE_STATES, type SetStateOptions, type SettableState } from './set-task-state.ts';
export { createBackfill, REPROCESS_BEHAVIOURS, type BackfillOptions, type BackfillPlan, type ReprocessBehaviour } from './backfill.ts';
export { nextExecution } from './next-execution.ts';
export { selectTasks, type TaskSelection } from './select-tasks.ts';
