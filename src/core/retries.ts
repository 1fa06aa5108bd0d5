import type { SerializedTask } from '../contracts/serialized-dag.ts';

/** Airflow's MAX_RETRY_DELAY: exponential backoff never waits longer than a day unless told to. */
export const DEFAULT_MAX_RETRY_DELAY_SECONDS = 24 * 60 * 60;

export type RetryPolicy = Pick<SerializedTask, 'taskId' | 'retryDelaySeconds' | 'retryExponentialBackoff' | 'maxRetryDelaySeconds'>;

/**
 * Whether a task whose try `tryNumber` (1-based) just failed gets another try. `retries` counts
 * extra tries, so with retries = 2 tries 1 and 2 are retried and try 3 fails the task.
 */
export function shouldRetry(tryNumber: number, retries: number): boolean {
  return retries > 0 && tryNumber <= retries;
}

/**
 * When try `tryNumber + 1` may start, for a try that failed at `failedAt` (epoch ms).
 * With exponential backoff, as Airflow: the wait is base * 2^(try-1) seconds (at least 1) plus a
 * deterministic jitter of up to the same amount again, drawn from a hash of (run, task, try) so
 * that many tasks failing together do not all retry in the same second; then it is capped at
 * DEFAULT_MAX_RETRY_DELAY_SECONDS and at the task's own maximum. `runKey` identifies the run
 * (for example `${dagId}/${runId}`). Without backoff the wait is exactly the retry delay.
 */
export function nextRetryAt(task: RetryPolicy, tryNumber: number, failedAt: number, runKey: string): number {
  if (!task.retryExponentialBackoff) return failedAt + task.retryDelaySeconds * 1000;
  // 2 ** large overflows to Infinity; anything at the cap is the cap, so stop there.
  const minBackoff = Math.max(1, Math.ceil(Math.min(task.retryDelaySeconds * 2 ** (tryNumber - 1), DEFAULT_MAX_RETRY_DELAY_SECONDS)));
  const jitter = fnv1a32(`${runKey}#${task.taskId}#${tryNumber}`) % minBackoff;
  let delaySeconds = Math.min(minBackoff + jitter, DEFAULT_MAX_RETRY_DELAY_SECONDS);
  // Like Airflow, a maximum of 0 (or none) means "no task-level cap".
  if (task.maxRetryDelaySeconds) delaySeconds = Math.min(delaySeconds, task.maxRetryDelaySeconds);
  return failedAt + delaySeconds * 1000;
}

/**
 * 32-bit FNV-1a over the UTF-16 code units of `text`. Not cryptographic, and it need not be: it
 * only spreads retries out, and it runs anywhere without node:crypto.
 */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
