import { serializeError, UpdraftError } from '../contracts/errors.ts';
import type { TaskTryKey } from '../contracts/task-instance.ts';
import { isSilent, silentTryOutcome, tasksById } from '../core/index.ts';
import { endSilentTry, failDeadJobs, getDagVersion, listSilentRunningTis, listStuckQueuedTis, resetQueuedTi, runTransaction, type SilentTiRow } from '../store/index.ts';
import { PendingEvents, type PhaseContext } from './phase-context.ts';

export const SCHEDULER_JOB_TYPE = 'SchedulerJob';
const BATCH = 200;

export interface LivenessOptions {
  jobId: number;
  /** Tries this scheduler's executors hold right now: queued but not started yet is normal for them. */
  activeTries: readonly TaskTryKey[];
}

/**
 * Makes sure nothing waits forever (Airflow's zombie detection and adopt_or_reset_orphaned_tasks):
 * - running task instances silent for longer than scheduler.task_heartbeat_timeout end as
 *   up_for_retry or failed, with TASK_PROCESS_DIED on their try;
 * - task instances queued longer than scheduler.task_queued_timeout, or queued by a scheduler
 *   that is dead (no heartbeat for scheduler.job_timeout_seconds), go back to scheduled;
 * - dead scheduler jobs are marked failed.
 * Every change is a compare-and-set, so a try that heartbeats or starts meanwhile is left alone.
 */
export async function checkLiveness(context: PhaseContext, options: LivenessOptions): Promise<PendingEvents> {
  const events = new PendingEvents();
  await endSilentTries(context, events);
  await resetStuckQueued(context, options, events);
  const { scheduler } = context.config;
  const deadJobs = await failDeadJobs(context.store.db, {
    jobType: SCHEDULER_JOB_TYPE,
    aliveSince: context.now - scheduler.job_timeout_seconds * 1000,
    now: context.now,
  });
  if (deadJobs.length > 0) events.push({ type: 'dead_jobs_failed', jobIds: deadJobs });
  return events;
}

async function endSilentTries(context: PhaseContext, events: PendingEvents): Promise<void> {
  const { store, now, config } = context;
  const timeout = config.scheduler.task_heartbeat_timeout;
  const silent = await listSilentRunningTis(store.db, { before: now - timeout * 1000, limit: BATCH });
  for (const ti of silent) {
    if (!isSilent(ti, now, timeout)) continue;
    const silentSeconds = Math.round((now - (ti.lastHeartbeatAt ?? ti.startDate ?? now)) / 1000);
    const outcome = silentTryOutcome({ ...ti, retries: ti.maxTries }, await retryPolicyOf(context, ti), now);
    const error = serializeError(
      new UpdraftError('TASK_PROCESS_DIED', `The task stopped heartbeating: no heartbeat for ${silentSeconds} s (scheduler.task_heartbeat_timeout is ${timeout} s)`, {
        hint: 'Its process or its supervisor died (killed, out of memory, host lost); see the end of the task log',
        details: { silentSeconds, timeoutSeconds: timeout },
      }),
    );
    const nextAttemptAt = outcome.state === 'up_for_retry' ? outcome.nextAttemptAt : null;
    const ended = await runTransaction(store.db, (trx) => endSilentTry(trx, ti, { state: outcome.state, nextAttemptAt, now, startDate: ti.startDate, error }));
    if (ended) events.push({ type: 'task_heartbeat_timeout', key: tryKeyOf(ti), state: outcome.state, silentSeconds });
  }
}

/** The task's retry settings from the run's DAG version; a task missing from it keeps defaults (no delay). */
async function retryPolicyOf(context: PhaseContext, ti: SilentTiRow) {
  const dag = await getDagVersion(context.store.db, ti.dagId, ti.dagVersionHash);
  const task = tasksById(dag).get(ti.taskId);
  return {
    taskId: ti.taskId,
    retryDelaySeconds: task?.retryDelaySeconds ?? 0,
    retryExponentialBackoff: task?.retryExponentialBackoff ?? false,
    maxRetryDelaySeconds: task?.maxRetryDelaySeconds ?? null,
  };
}

async function resetStuckQueued(context: PhaseContext, options: LivenessOptions, events: PendingEvents): Promise<void> {
  const { store, now, config } = context;
  const held = new Set(options.activeTries.map((key) => JSON.stringify([key.dagId, key.runId, key.taskId, key.mapIndex])));
  const stuck = await listStuckQueuedTis(store.db, {
    queuedBefore: now - config.scheduler.task_queued_timeout * 1000,
    aliveSince: now - config.scheduler.job_timeout_seconds * 1000,
    limit: BATCH,
  });
  for (const ti of stuck) {
    if (held.has(JSON.stringify([ti.dagId, ti.runId, ti.taskId, ti.mapIndex]))) continue;
    if (!(await resetQueuedTi(store.db, ti, now))) continue;
    const timedOut = ti.queuedAt !== null && ti.queuedAt < now - config.scheduler.task_queued_timeout * 1000;
    const key = { dagId: ti.dagId, runId: ti.runId, taskId: ti.taskId, mapIndex: ti.mapIndex };
    events.push({ type: 'queued_ti_reset', key, reason: timedOut ? 'queued_timeout' : 'dead_scheduler' });
  }
}

function tryKeyOf(ti: SilentTiRow): TaskTryKey {
  return { dagId: ti.dagId, runId: ti.runId, taskId: ti.taskId, mapIndex: ti.mapIndex, tryNumber: ti.tryNumber };
}
