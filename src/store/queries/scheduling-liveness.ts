import type { SerializedError } from '../../contracts/errors.ts';
import type { TaskInstanceKey, TaskTryKey } from '../../contracts/task-instance.ts';
import type { Executor } from './executor.ts';
import { setTaskInstanceState, tiKeyOfRow } from './task-instances.ts';
import { updateTry } from './task-tries.ts';

/** A running task instance that stopped heartbeating. */
export interface SilentTiRow extends TaskTryKey {
  maxTries: number;
  lastHeartbeatAt: number | null;
  startDate: number | null;
  dagVersionHash: string;
}

/** Running task instances whose last heartbeat (or start, if none) is older than `before`. */
export async function listSilentRunningTis(db: Executor, options: { before: number; limit: number }): Promise<SilentTiRow[]> {
  const rows = await db
    .selectFrom('task_instance')
    .select(['dag_id', 'run_id', 'task_id', 'map_index', 'try_number', 'max_tries', 'last_heartbeat_at', 'start_date', 'dag_version_hash'])
    .where('state', '=', 'running')
    .where((eb) => eb(eb.fn.coalesce('last_heartbeat_at', 'start_date'), '<', options.before))
    .orderBy('dag_id')
    .orderBy('run_id')
    .orderBy('task_id')
    .limit(options.limit)
    .execute();
  return rows.map((row) => ({
    ...tiKeyOfRow(row),
    tryNumber: row.try_number,
    maxTries: row.max_tries,
    lastHeartbeatAt: row.last_heartbeat_at,
    startDate: row.start_date,
    dagVersionHash: row.dag_version_hash,
  }));
}

/**
 * Ends a silent try as `up_for_retry` or `failed`, with `error` on its try row. Compare-and-set on
 * (running, try number): a try that heartbeated or finished meanwhile is left alone (false).
 */
export async function endSilentTry(
  trx: Executor,
  key: TaskTryKey,
  outcome: { state: 'up_for_retry' | 'failed'; nextAttemptAt: number | null; now: number; startDate: number | null; error: SerializedError },
): Promise<boolean> {
  const ended = await setTaskInstanceState(trx, key, {
    from: ['running'],
    whenTryNumber: key.tryNumber,
    to: outcome.state,
    endDate: outcome.now,
    durationMs: outcome.startDate === null ? null : outcome.now - outcome.startDate,
    nextAttemptAt: outcome.nextAttemptAt,
  });
  if (!ended) return false;
  await updateTry(trx, key, { state: outcome.state, end_date: outcome.now, error: JSON.stringify(outcome.error) });
  return true;
}

/** Queued task instances that match a reset rule, to be sent back to `scheduled`. */
export interface QueuedTiRow extends TaskInstanceKey {
  tryNumber: number;
  queuedAt: number | null;
  queuedByJobId: number | null;
}

/**
 * Queued task instances that are stuck: queued before `queuedBefore` (task_queued_timeout), or
 * queued by a scheduler job that is not alive (not running, or no heartbeat since `aliveSince`).
 */
export async function listStuckQueuedTis(db: Executor, options: { queuedBefore: number; aliveSince: number; limit: number }): Promise<QueuedTiRow[]> {
  const rows = await db
    .selectFrom('task_instance')
    .select(['dag_id', 'run_id', 'task_id', 'map_index', 'try_number', 'queued_at', 'queued_by_job_id'])
    .where('state', '=', 'queued')
    .where((eb) =>
      eb.or([
        eb('queued_at', '<', options.queuedBefore),
        eb.and([
          eb('queued_by_job_id', 'is not', null),
          eb.not(
            eb.exists(
              eb
                .selectFrom('job')
                .select('job.id')
                .whereRef('job.id', '=', 'task_instance.queued_by_job_id')
                .where('job.state', '=', 'running')
                .where('job.latest_heartbeat', '>=', options.aliveSince),
            ),
          ),
        ]),
      ]),
    )
    .orderBy('queued_at')
    .limit(options.limit)
    .execute();
  return rows.map((row) => ({
    ...tiKeyOfRow(row),
    tryNumber: row.try_number,
    queuedAt: row.queued_at,
    queuedByJobId: row.queued_by_job_id,
  }));
}

/** Sends a queued TI back to scheduled (compare-and-set on state, try number and queued_at). */
export async function resetQueuedTi(db: Executor, ti: QueuedTiRow, now: number): Promise<boolean> {
  let update = db
    .updateTable('task_instance')
    .set({ state: 'scheduled', scheduled_at: now, queued_at: null, queued_by_job_id: null })
    .where('dag_id', '=', ti.dagId)
    .where('run_id', '=', ti.runId)
    .where('task_id', '=', ti.taskId)
    .where('map_index', '=', ti.mapIndex)
    .where('state', '=', 'queued')
    .where('try_number', '=', ti.tryNumber);
  update = ti.queuedAt === null ? update.where('queued_at', 'is', null) : update.where('queued_at', '=', ti.queuedAt);
  const result = await update.executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Marks running jobs of `jobType` without a heartbeat since `aliveSince` as failed; returns their ids. */
export async function failDeadJobs(db: Executor, options: { jobType: string; aliveSince: number; now: number }): Promise<number[]> {
  const dead = await db
    .selectFrom('job')
    .select('id')
    .where('job_type', '=', options.jobType)
    .where('state', '=', 'running')
    .where('latest_heartbeat', '<', options.aliveSince)
    .execute();
  const ids = dead.map((row) => row.id);
  if (ids.length > 0) {
    await db.updateTable('job').set({ state: 'failed', end_date: options.now }).where('id', 'in', ids).where('state', '=', 'running').execute();
  }
  return ids;
}
