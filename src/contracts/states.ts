/** Task instance states, as Airflow names them. `none` is a TI that exists but has not been scheduled. */
export const TASK_INSTANCE_STATES = [
  'none',
  'scheduled',
  'queued',
  'running',
  'success',
  'failed',
  'up_for_retry',
  'up_for_reschedule',
  'upstream_failed',
  'skipped',
  'removed',
  'restarting',
  'deferred',
] as const;
export type TaskInstanceState = (typeof TASK_INSTANCE_STATES)[number];

/** States after which a task instance will not run again unless cleared. */
export const FINISHED_TI_STATES: readonly TaskInstanceState[] = [
  'success',
  'failed',
  'skipped',
  'upstream_failed',
  'removed',
];

export const DAG_RUN_STATES = ['queued', 'running', 'success', 'failed'] as const;
export type DagRunState = (typeof DAG_RUN_STATES)[number];

export const DAG_RUN_TYPES = ['scheduled', 'manual', 'backfill', 'asset_triggered'] as const;
export type DagRunType = (typeof DAG_RUN_TYPES)[number];

export const TRIGGER_RULES = [
  'all_success',
  'all_failed',
  'all_done',
  'all_done_min_one_success',
  'all_skipped',
  'one_success',
  'one_failed',
  'one_done',
  'none_failed',
  'none_failed_min_one_success',
  'none_skipped',
  'always',
] as const;
export type TriggerRule = (typeof TRIGGER_RULES)[number];

export const WEIGHT_RULES = ['downstream', 'upstream', 'absolute'] as const;
export type WeightRule = (typeof WEIGHT_RULES)[number];

export const SENSOR_MODES = ['poke', 'reschedule'] as const;
export type SensorMode = (typeof SENSOR_MODES)[number];

export function isTriggerRule(value: unknown): value is TriggerRule {
  return typeof value === 'string' && (TRIGGER_RULES as readonly string[]).includes(value);
}

export function isFinishedTiState(state: TaskInstanceState): boolean {
  return FINISHED_TI_STATES.includes(state);
}
