import { ERROR_CODES } from '../../contracts/errors.ts';
import type { TaskOutcome } from '../../contracts/task-execution-api.ts';

/**
 * The `done` message comes from a process that runs user code, so its outcome is checked before
 * it is recorded; a malformed one is treated as a failure of the try rather than a store error.
 */
export function isTaskOutcome(value: unknown): value is TaskOutcome {
  if (typeof value !== 'object' || value === null) return false;
  const outcome = value as Record<string, unknown>;
  switch (outcome.state) {
    case 'success':
      // Outcomes arrive as JSON, so a present return value is JSON; only `undefined` (no JSON form) is not.
      return !Object.hasOwn(outcome, 'returnValue') || outcome.returnValue !== undefined;
    case 'skipped':
      return outcome.reason === undefined || typeof outcome.reason === 'string';
    case 'failed':
      return isError(outcome.error);
    case 'up_for_retry':
      return isError(outcome.error) && isIsoDate(outcome.nextRetryAt);
    case 'up_for_reschedule':
      return isIsoDate(outcome.rescheduleAt);
    default:
      return false;
  }
}

function isError(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const error = value as Record<string, unknown>;
  return typeof error.code === 'string' && Object.hasOwn(ERROR_CODES, error.code) && typeof error.message === 'string';
}

function isIsoDate(value: unknown): boolean {
  return typeof value === 'string' && !Number.isNaN(Date.parse(value));
}
