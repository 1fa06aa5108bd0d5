import { UpdraftError } from '../contracts/errors.ts';
import type { TaskInstanceState } from '../contracts/states.ts';

/**
 * The task instance lifecycle, as Airflow runs it. Edges not listed here come from three rules
 * that apply to every state (see canTransition): anything may become `removed`; clearing sends
 * anything but a running instance back to `none`; people may set success, failed or skipped by hand.
 */
const LIFECYCLE: Readonly<Record<TaskInstanceState, readonly TaskInstanceState[]>> = {
  // The scheduler schedules it, or its trigger rule can no longer be met.
  none: ['scheduled', 'skipped', 'upstream_failed'],
  // Handed to an executor (queued).
  scheduled: ['queued'],
  // A worker starts it; the executor gives it back; it fails (or retries) before starting.
  queued: ['running', 'scheduled', 'failed', 'up_for_retry'],
  // Clearing a running task marks it restarting so its process is stopped first.
  running: ['success', 'failed', 'up_for_retry', 'up_for_reschedule', 'skipped', 'deferred', 'restarting'],
  success: [],
  failed: [],
  up_for_retry: ['scheduled', 'queued'],
  up_for_reschedule: ['scheduled', 'queued'],
  upstream_failed: [],
  skipped: [],
  removed: [],
  // Once the stopped process is gone, the instance runs again without using up a try.
  restarting: ['scheduled', 'up_for_retry', 'failed'],
  // The trigger fired (back to the scheduler), or it timed out or failed.
  deferred: ['scheduled', 'queued', 'failed', 'up_for_retry'],
};

const MANUAL_TARGETS: readonly TaskInstanceState[] = ['success', 'failed', 'skipped'];

/** Whether a task instance may move from `from` to `to`. Staying in the same state is not a move. */
export function canTransition(from: TaskInstanceState, to: TaskInstanceState): boolean {
  if (from === to) return false;
  if (to === 'removed') return true;
  if (to === 'none') return from !== 'running';
  if (MANUAL_TARGETS.includes(to)) return true;
  return LIFECYCLE[from].includes(to);
}

/** Throws INVALID_STATE_TRANSITION unless `from -> to` is allowed. */
export function assertTransition(from: TaskInstanceState, to: TaskInstanceState): void {
  if (canTransition(from, to)) return;
  throw new UpdraftError('INVALID_STATE_TRANSITION', `A task instance cannot go from "${from}" to "${to}"`, {
    hint: from === 'running' && to === 'none' ? 'Clear a running task instance through "restarting"' : undefined,
    details: { from, to },
  });
}
