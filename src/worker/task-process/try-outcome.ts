import { serializeError } from '../../contracts/errors.ts';
import type { TaskOutcome } from '../../contracts/task-execution-api.ts';
import type { TaskWorkload } from '../../contracts/workload.ts';
import { NonRetriableError, RescheduleError, SkipError } from '../../sdk/index.ts';
import { failureOutcome } from '../supervisor/failure-outcome.ts';

/**
 * How a try that threw ends: skipped (SkipError, Bash exit 99), up_for_reschedule (sensors in
 * reschedule mode), failed without retry (NonRetriableError, sensor timeouts), or the same
 * retry-or-fail rule the supervisor applies to failures it detects itself.
 */
export function outcomeOfError(error: unknown, workload: TaskWorkload, failedAt: Date): TaskOutcome {
  if (error instanceof SkipError) return { state: 'skipped', reason: error.message };
  if (error instanceof RescheduleError) return { state: 'up_for_reschedule', rescheduleAt: error.rescheduleAt.toISOString() };
  const serialized = serializeError(error);
  if (error instanceof NonRetriableError) return { state: 'failed', error: serialized };
  return failureOutcome(workload, serialized, failedAt);
}
