import { sql } from 'kysely';
import type { PlannedRun } from '../../core/timetables/index.ts';
import type { Executor } from './executor.ts';
import { executePrepared } from './prepared.ts';
import { lockRows } from './scheduling-locks.ts';

/** A DAG row the scheduler claimed to create or start its runs. */
export interface ClaimedDag {
  dagId: string;
  isPaused: boolean;
  maxActiveRuns: number;
  latestVersionHash: string;
  /** The schedule_key to record with the next_dagrun_* computed now ('' when the row has none). */
  scheduleKey: string;
}

const ACTIVE_RUN_STATES = ['queued', 'running'];

/**
 * Claims up to `limit` DAG rows that need the run-creation phase (dagsNeedingRunCreation),
 * locked SKIP LOCKED (lockRows) so that two schedulers never create runs for the same DAG at once,
 * oldest due first.
 */
export async function claimDagsForRunCreation(trx: Executor, options: { now: number; limit: number }): Promise<ClaimedDag[]> {
  const { rows } = await executePrepared(trx, 'claimDagsForRunCreation', options, (db, param) => {
    const query = dagsNeedingRunCreation(db, param('now'))
      .select(['dag_id', 'is_paused', 'max_active_runs', 'latest_version_hash', 'schedule_key'])
      .orderBy(sql`coalesce(${sql.ref('next_dagrun_create_after')}, 0)`)
      .orderBy('dag_id')
      .limit(param('limit'));
    return lockRows(db, query, 'skip_locked');
  });
  return rows.map((row) => ({
    dagId: row.dag_id,
    isPaused: row.is_paused === 1,
    maxActiveRuns: row.max_active_runs,
    latestVersionHash: row.latest_version_hash,
    scheduleKey: row.schedule_key ?? '',
  }));
}

/**
 * Whether claimDagsForRunCreation would find a DAG row now, read without locks and outside any
 * transaction: most loops that look for runs to create find none (a finished run frees a place no
 * run waits for; the once-a-second look), and this answers them without BEGIN and COMMIT, two round
 * trips on Postgres, and without taking SQLite's write lock. A DAG that becomes due just after is
 * found by the next look, as it would be had the look come a moment earlier.
 */
export async function anyDagNeedsRunCreation(db: Executor, options: { now: number }): Promise<boolean> {
  const { rows } = await executePrepared(db, 'anyDagNeedsRunCreation', options, (db, param) => dagsNeedingRunCreation(db, param('now')).select('dag_id').limit(1));
  return rows.length > 0;
}

/**
 * The DAG rows that need the run-creation phase at `now`:
 * - unpaused active DAGs whose next run is due (next_dagrun_create_after <= now) and that are under
 *   maxActiveRuns (counting queued + running runs): a DAG at its limit would otherwise be claimed
 *   again every loop ahead of DAGs that can make progress;
 * - DAGs whose next_dagrun_* are stale (schedule_key changed, or never computed);
 * - DAGs with queued runs and a free running slot (manual triggers, runs queued behind maxActiveRuns).
 */
function dagsNeedingRunCreation(db: Executor, now: number) {
  return db
    .selectFrom('dag')
    .where('is_active', '=', 1)
    .where('is_paused', '=', 0)
    .where((eb) => {
      const activeRuns = eb
        .selectFrom('dag_run')
        .select((inner) => inner.fn.countAll<number>().as('n'))
        .whereRef('dag_run.dag_id', '=', 'dag.dag_id')
        .where('dag_run.state', 'in', ACTIVE_RUN_STATES);
      const runningRuns = eb
        .selectFrom('dag_run')
        .select((inner) => inner.fn.countAll<number>().as('n'))
        .whereRef('dag_run.dag_id', '=', 'dag.dag_id')
        .where('dag_run.state', '=', 'running');
      const hasQueuedRuns = eb.exists(eb.selectFrom('dag_run').select('dag_run.id').whereRef('dag_run.dag_id', '=', 'dag.dag_id').where('dag_run.state', '=', 'queued'));
      return eb.or([
        eb.and([eb('next_dagrun_create_after', '<=', now), eb(activeRuns, '<', eb.ref('max_active_runs'))]),
        eb(sql`coalesce(${eb.ref('schedule_key')}, '')`, '<>', sql`coalesce(${eb.ref('next_dagrun_schedule_key')}, '-')`),
        eb.and([hasQueuedRuns, eb(runningRuns, '<', eb.ref('max_active_runs'))]),
      ]);
    });
}

/** Counts and queued runs of one DAG, read inside the claiming transaction. */
export interface DagRunBook {
  runningRuns: number;
  queuedRuns: { runId: string; logicalDate: number | null; queuedAt: number | null }[];
  /** The newest scheduled or backfill run by logical date, as a timetable would have planned it. */
  lastAutomatedRun: PlannedRun | null;
}

export async function readDagRunBook(trx: Executor, dagId: string): Promise<DagRunBook> {
  const [{ rows: active }, { rows: lastRows }] = await Promise.all([
    executePrepared(trx, 'readDagRunBook/active', { dagId }, (db, param) =>
      db
        .selectFrom('dag_run')
        .select(['run_id', 'state', 'logical_date', 'queued_at'])
        .where('dag_id', '=', param('dagId'))
        .where('state', 'in', ACTIVE_RUN_STATES)
        .orderBy('id'),
    ),
    executePrepared(trx, 'readDagRunBook/lastAutomated', { dagId }, (db, param) =>
      db
        .selectFrom('dag_run')
        .select(['logical_date', 'data_interval_start', 'data_interval_end', 'run_after'])
        .where('dag_id', '=', param('dagId'))
        .where('run_type', 'in', ['scheduled', 'backfill'])
        .where('logical_date', 'is not', null)
        .orderBy('logical_date', 'desc')
        .limit(1),
    ),
  ]);
  const last = lastRows[0];
  return {
    runningRuns: active.filter((run) => run.state === 'running').length,
    queuedRuns: active.filter((run) => run.state === 'queued').map((run) => ({ runId: run.run_id, logicalDate: run.logical_date, queuedAt: run.queued_at })),
    lastAutomatedRun:
      last === undefined || last.logical_date === null
        ? null
        : {
            logicalDate: last.logical_date,
            dataInterval: { start: last.data_interval_start ?? last.logical_date, end: last.data_interval_end ?? last.logical_date },
            runAfter: last.run_after,
          },
  };
}

/** Logical dates of the DAG's runs after `after` (all of them when null): the ones a new run may not reuse. */
export async function logicalDatesAfter(trx: Executor, dagId: string, after: number | null): Promise<Set<number>> {
  const { rows } = await executePrepared(trx, after === null ? 'logicalDatesAfter/all' : 'logicalDatesAfter/after', { dagId, after }, (db, param) => {
    const query = db.selectFrom('dag_run').select('logical_date').where('dag_id', '=', param('dagId')).where('logical_date', 'is not', null);
    return after === null ? query : query.where('logical_date', '>', param('after'));
  });
  return new Set(rows.flatMap((row) => (row.logical_date === null ? [] : [row.logical_date])));
}

/** Records the next automated run (or none) and the schedule_key it was computed with. */
export async function setNextDagrun(trx: Executor, dagId: string, next: PlannedRun | null, scheduleKey: string): Promise<void> {
  const values = {
    dagId,
    logicalDate: next?.logicalDate ?? null,
    intervalStart: next?.dataInterval.start ?? null,
    intervalEnd: next?.dataInterval.end ?? null,
    createAfter: next?.runAfter ?? null,
    scheduleKey,
  };
  await executePrepared(trx, 'setNextDagrun', values, (db, param) =>
    db
      .updateTable('dag')
      .set({
        next_dagrun_logical_date: param('logicalDate'),
        next_dagrun_data_interval_start: param('intervalStart'),
        next_dagrun_data_interval_end: param('intervalEnd'),
        next_dagrun_create_after: param('createAfter'),
        next_dagrun_schedule_key: param('scheduleKey'),
      })
      .where('dag_id', '=', param('dagId')),
  );
}

/**
 * The earliest instant after `after` at which time alone gives the scheduler work: a DAG's next run
 * falls due or a retry / reschedule wait ends. Null when nothing is waiting on time. Instants
 * already past are left out: what is due and still waiting is blocked by something else (a full
 * maxActiveRuns, a paused DAG), and an event will say when that changes.
 */
export async function nextSchedulingDeadline(db: Executor, after: number): Promise<number | null> {
  // Asked before every sleep of the loop: one prepared statement of two sub-queries.
  const { rows } = await executePrepared(db, 'nextSchedulingDeadline', { after }, (db, param) =>
    db.selectNoFrom((eb) => [
      eb
        .selectFrom('dag')
        .select((eb) => eb.fn.min('next_dagrun_create_after').as('at'))
        .where('is_active', '=', 1)
        .where('is_paused', '=', 0)
        .where('next_dagrun_create_after', '>', param('after'))
        .as('dag_run_at'),
      eb
        .selectFrom('task_instance')
        .select((eb) => eb.fn.min('next_attempt_at').as('at'))
        .where('state', 'in', ['up_for_retry', 'up_for_reschedule'])
        .where('next_attempt_at', '>', param('after'))
        .as('attempt_at'),
    ]),
  );
  const candidates = [rows[0]?.dag_run_at, rows[0]?.attempt_at].filter((at) => at !== null && at !== undefined).map(Number);
  return candidates.length === 0 ? null : Math.min(...candidates);
}
