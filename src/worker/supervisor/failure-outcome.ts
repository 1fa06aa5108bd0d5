import type { SerializedError } from '../../contracts/errors.ts';
import type { TaskOutcome } from '../../contracts/task-execution-api.ts';
import type { TaskWorkload } from '../../contracts/workload.ts';
import { nextRetryAt, shouldRetry } from '../../core/index.ts';

/**
 * The outcome of a try that failed in a way only the supervisor can see (timeout, process death):
 * up for retry while the task has tries left, failed otherwise. The rules are core's, so a
 * supervisor-detected failure retries exactly like one the task reports itself.
 */
export function failureOutcome(workload: TaskWorkload, error: SerializedError, failedAt: Date): TaskOutcome {
  const { key } = workload;
  if (!shouldRetry(key.tryNumber, workload.retries)) return { state: 'failed', error };
  const policy = {
    taskId: key.taskId,
    retryDelaySeconds: workload.retryDelaySeconds,
    retryExponentialBackoff: workload.retryExponentialBackoff,
    maxRetryDelaySeconds: workload.maxRetryDelaySeconds,
  };
  const retryAt = nextRetryAt(policy, key.tryNumber, failedAt.getTime(), `${key.dagId}/${key.runId}`);
  return { state: 'up_for_retry', error, nextRetryAt: new Date(retryAt).toISOString() };
}
