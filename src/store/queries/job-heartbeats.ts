import type { Executor } from './executor.ts';

/**
 * The newest heartbeat of a running job per job type (what `/health` reports). Also the API's
 * probe that the metadata database answers.
 */
export async function latestHeartbeatsByJobType(db: Executor): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('job')
    .select((eb) => ['job_type', eb.fn.max('latest_heartbeat').as('latest')])
    .where('state', '=', 'running')
    .groupBy('job_type')
    .execute();
  return new Map(rows.map((row) => [row.job_type, Number(row.latest)]));
}
