import type { Selectable } from 'kysely';
import { dialectOf } from '../dialects/dialect-name.ts';
import type { JobTable } from '../schema.ts';
import type { Executor } from './executor.ts';

/** A long-running component (scheduler, DAG processor, triggerer...) that proves it is alive by heartbeating. */
export interface Job {
  id: number;
  jobType: string;
  state: string;
  hostname: string;
  pid: number;
  startDate: number;
  endDate: number | null;
  latestHeartbeat: number;
}

/** Registers a running job and returns it with its id. */
export async function startJob(db: Executor, job: { jobType: string; hostname: string; pid: number; now: number }): Promise<Job> {
  const row = { job_type: job.jobType, state: 'running', hostname: job.hostname, pid: job.pid, start_date: job.now, end_date: null, latest_heartbeat: job.now };
  const insert = db.insertInto('job').values(row);
  // MySQL has no RETURNING; its driver reports the generated id instead (as SQLite's does).
  const id =
    dialectOf(db) === 'postgres'
      ? (await insert.returning('id').executeTakeFirstOrThrow()).id
      : Number((await insert.executeTakeFirstOrThrow()).insertId);
  return toJob({ id, ...row });
}

/** Records a heartbeat; false when the job is unknown or no longer running. */
export async function heartbeatJob(db: Executor, id: number, now: number): Promise<boolean> {
  const result = await db.updateTable('job').set({ latest_heartbeat: now }).where('id', '=', id).where('state', '=', 'running').executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Marks a job as ended (`success` on a clean shutdown, `failed` otherwise). */
export async function endJob(db: Executor, id: number, state: 'success' | 'failed', now: number): Promise<boolean> {
  const result = await db.updateTable('job').set({ state, end_date: now }).where('id', '=', id).executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Running jobs that heartbeated at or after `since`, optionally of one type. */
export async function listAliveJobs(db: Executor, options: { since: number; jobType?: string }): Promise<Job[]> {
  let query = db.selectFrom('job').selectAll().where('state', '=', 'running').where('latest_heartbeat', '>=', options.since);
  if (options.jobType !== undefined) query = query.where('job_type', '=', options.jobType);
  return (await query.orderBy('id').execute()).map(toJob);
}

function toJob(row: Selectable<JobTable>): Job {
  return {
    id: row.id,
    jobType: row.job_type,
    state: row.state,
    hostname: row.hostname,
    pid: row.pid,
    startDate: row.start_date,
    endDate: row.end_date,
    latestHeartbeat: row.latest_heartbeat,
  };
}
