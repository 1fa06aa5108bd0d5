/**
 * Task-instance and run states with Airflow's colours, so Airflow users read the grid at a glance.
 * The colours are CSS variables (styles/theme.css) so dark mode can tune their contrast.
 */
export const STATE_NAMES = [
  'success',
  'failed',
  'running',
  'queued',
  'scheduled',
  'up_for_retry',
  'up_for_reschedule',
  'upstream_failed',
  'skipped',
  'removed',
  'restarting',
  'deferred',
  'none',
] as const;
export type StateName = (typeof STATE_NAMES)[number];

export function isStateName(value: unknown): value is StateName {
  return typeof value === 'string' && (STATE_NAMES as readonly string[]).includes(value);
}

/** The CSS colour of a state; unknown or missing states are drawn like `none`. */
export function stateColor(state: string | null | undefined): string {
  return `var(--state-${isStateName(state) ? state.replaceAll('_', '-') : 'none'})`;
}

export function stateLabel(state: string | null | undefined): string {
  return state === null || state === undefined || state === 'none' ? 'no status' : state.replaceAll('_', ' ');
}

/** States in which a task or run may still change by itself: the UI keeps following them. */
export function isActiveState(state: string | null | undefined): boolean {
  return state === 'running' || state === 'queued' || state === 'scheduled' || state === 'up_for_retry' || state === 'up_for_reschedule' || state === 'restarting' || state === 'deferred';
}
