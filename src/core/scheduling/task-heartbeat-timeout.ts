import { nextRetryAt, shouldRetry, type RetryPolicy } from '../retries.ts';

/** A running task instance whose heartbeats stopped (its process or its supervisor died). */
export interface SilentTry {
  dagId: string;
  runId: string;
  tryNumber: number;
  /** The TI's max_tries (the task's retries when the run was created). */
  retries: number;
  lastHeartbeatAt: number | null;
  startDate: number | null;
}

export type SilentTryOutcome = { state: 'up_for_retry'; nextAttemptAt: number } | { state: 'failed' };

/** Whether a running try has been silent for longer than the timeout (seconds). */
export function isSilent(ti: Pick<SilentTry, 'lastHeartbeatAt' | 'startDate'>, now: number, timeoutSeconds: number): boolean {
  const lastSign = ti.lastHeartbeatAt ?? ti.startDate;
  return lastSign !== null && now - lastSign > timeoutSeconds * 1000;
}

/**
 * How a silent try ends: like any other failure, retried while the task has tries left (after its
 * retry delay, with the same backoff rules), failed otherwise.
 */
export function silentTryOutcome(ti: SilentTry, policy: RetryPolicy, now: number): SilentTryOutcome {
  if (!shouldRetry(ti.tryNumber, ti.retries)) return { state: 'failed' };
  return { state: 'up_for_retry', nextAttemptAt: nextRetryAt(policy, ti.tryNumber, now, `${ti.dagId}/${ti.runId}`) };
}
