import { sql, type Expression, type Selectable } from 'kysely';
import type { JsonObject } from '../../contracts/json.ts';
import type { DagRunState, DagRunType } from '../../contracts/states.ts';
import type { DagRunTable } from '../schema.ts';
import { chunked, type Executor } from './executor.ts';
import { executePrepared } from './prepared.ts';

export interface DagRun {
  id: number;
  dagId: string;
  runId: string;
  runType: DagRunType;
  state: DagRunState;
  logicalDate: number | null;
  dataIntervalStart: number | null;
  dataIntervalEnd: number | null;
  runAfter: number;
  queuedAt: number | null;
  startDate: number | null;
  endDate: number | null;
  conf: JsonObject;
  note: string | null;
  dagVersionHash: string;
  triggeredBy: string;
  clearNumber: number;
  lastSchedulingDecision: number | null;
}

export interface DagRunKey {
  dagId: string;
  runId: string;
}

export interface ListDagRunsOptions {
  dagId?: string;
  states?: readonly DagRunState[];
  runTypes?: readonly DagRunType[];
  /** Inclusive bounds on the logical date. */
  logicalDateFrom?: number;
  logicalDateTo?: number;
  limit: number;
  offset: number;
  /** Default: newest run_after first. */
  order?: 'run_after_desc' | 'run_after_asc';
}

/** One DAG run by (dag id, run id), or null. */
export async function getDagRun(db: Executor, key: DagRunKey): Promise<DagRun | null> {
  const { rows } = await executePrepared(db, 'getDagRun', { dagId: key.dagId, runId: key.runId }, (db, param) =>
    db.selectFrom('dag_run').selectAll().where('dag_id', '=', param('dagId')).where('run_id', '=', param('runId')),
  );
  return rows[0] === undefined ? null : toDagRun(rows[0]);
}

/** The states of the named runs of one DAG (runs that do not exist are left out). */
export async function dagRunStates(db: Executor, dagId: string, runIds: readonly string[]): Promise<Map<string, DagRunState>> {
  const states = new Map<string, DagRunState>();
  for (const ids of chunked(runIds, 500)) {
    const rows = await db.selectFrom('dag_run').select(['run_id', 'state']).where('dag_id', '=', dagId).where('run_id', 'in', ids).execute();
    for (const row of rows) states.set(row.run_id, row.state as DagRunState);
  }
  return states;
}

/** A page of DAG runs matching the filters, and how many match in total. */
export async function listDagRuns(db: Executor, options: ListDagRunsOptions): Promise<{ runs: DagRun[]; total: number }> {
  let query = db.selectFrom('dag_run');
  if (options.dagId !== undefined) query = query.where('dag_id', '=', options.dagId);
  if (options.states !== undefined) query = options.states.length === 0 ? query.where((eb) => eb.lit(false)) : query.where('state', 'in', options.states);
  if (options.runTypes !== undefined) query = options.runTypes.length === 0 ? query.where((eb) => eb.lit(false)) : query.where('run_type', 'in', options.runTypes);
  if (options.logicalDateFrom !== undefined) query = query.where('logical_date', '>=', options.logicalDateFrom);
  if (options.logicalDateTo !== undefined) query = query.where('logical_date', '<=', options.logicalDateTo);
  const direction = options.order === 'run_after_asc' ? 'asc' : 'desc';
  const [rows, count] = await Promise.all([
    query.selectAll().orderBy('run_after', direction).orderBy('id', direction).limit(options.limit).offset(options.offset).execute(),
    query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ]);
  return { runs: rows.map(toDagRun), total: Number(count.total) };
}

/**
 * Sets a run's state and the dates that go with it: `queued` stamps queued_at and clears start/end
 * (a cleared run starts over), `running` sets start_date once, `success`/`failed` set end_date.
 * Returns false when the run does not exist.
 */
export async function setDagRunState(db: Executor, key: DagRunKey, state: DagRunState, now: number): Promise<boolean> {
  const update = db.updateTable('dag_run').where('dag_id', '=', key.dagId).where('run_id', '=', key.runId);
  const result = await (state === 'queued'
    ? update.set({ state, queued_at: now, start_date: null, end_date: null })
    : state === 'running'
      ? update.set((eb) => ({ state, start_date: eb.fn.coalesce('start_date', eb.val(now)), end_date: null }))
      : update.set((eb) => ({ state, start_date: eb.fn.coalesce('start_date', eb.val(now)), end_date: now }))
  ).executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Deletes the runs of a DAG with this run id or this logical date (and, by cascade, their TIs and XComs); returns how many. */
export async function deleteDagRun(db: Executor, match: { dagId: string; runId?: string; logicalDate?: number }): Promise<number> {
  const { runId, logicalDate } = match;
  if (runId === undefined && logicalDate === undefined) return 0;
  const result = await db
    .deleteFrom('dag_run')
    .where('dag_id', '=', match.dagId)
    .where((eb) =>
      eb.or([...(runId === undefined ? [] : [eb('run_id', '=', runId)]), ...(logicalDate === undefined ? [] : [eb('logical_date', '=', logicalDate)])]),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** The dates of a run that Airflow's prev_*_success context values come from. */
export interface SuccessDates {
  runId: string;
  dataIntervalStart: number | null;
  dataIntervalEnd: number | null;
  startDate: number | null;
  endDate: number | null;
}

/** A run and the latest successful run of its DAG before it, as a starting try's context needs them. */
export interface RunWithPreviousSuccess {
  run: DagRun;
  previousSuccess: SuccessDates | null;
}

/**
 * A run with the latest successful run of its DAG before its logical date (for prev_*_success; null
 * for the first one, and for a run without a logical date), in one statement: every try's start
 * reads both. Null when the run does not exist.
 */
export async function getDagRunWithPreviousSuccess(db: Executor, key: DagRunKey): Promise<RunWithPreviousSuccess | null> {
  const { rows } = await executePrepared(db, 'getDagRunWithPreviousSuccess', { dagId: key.dagId, runId: key.runId }, (db, param) =>
    db
      .selectFrom('dag_run as r')
      .leftJoin('dag_run as p', (join) => join.on('p.id', '=', previousSuccessId(sql.ref('r.dag_id'), sql.ref('r.logical_date'))))
      .selectAll('r')
      .select([
        'p.run_id as prev_run_id',
        'p.data_interval_start as prev_data_interval_start',
        'p.data_interval_end as prev_data_interval_end',
        'p.start_date as prev_start_date',
        'p.end_date as prev_end_date',
      ])
      .where('r.dag_id', '=', param('dagId'))
      .where('r.run_id', '=', param('runId')),
  );
  const row = rows[0];
  if (row === undefined) return null;
  const previousSuccess =
    row.prev_run_id === null
      ? null
      : { runId: row.prev_run_id, dataIntervalStart: row.prev_data_interval_start, dataIntervalEnd: row.prev_data_interval_end, startDate: row.prev_start_date, endDate: row.prev_end_date };
  return { run: toDagRun(row), previousSuccess };
}

/**
 * The id of the latest successful run of DAG `dagId` before `logicalDate` (columns of the outer
 * query), for prev_*_success; null when there is none, and for a run without a logical date.
 */
export function previousSuccessId(dagId: Expression<string>, logicalDate: Expression<number | null>) {
  return sql<number | null>`(select q.id from dag_run q where q.dag_id = ${dagId} and q.state = 'success' and q.logical_date < ${logicalDate} order by q.logical_date desc limit 1)`;
}

export function toDagRun(row: Selectable<DagRunTable>): DagRun {
  return {
    id: row.id,
    dagId: row.dag_id,
    runId: row.run_id,
    runType: row.run_type as DagRunType,
    state: row.state as DagRunState,
    logicalDate: row.logical_date,
    dataIntervalStart: row.data_interval_start,
    dataIntervalEnd: row.data_interval_end,
    runAfter: row.run_after,
    queuedAt: row.queued_at,
    startDate: row.start_date,
    endDate: row.end_date,
    conf: JSON.parse(row.conf) as JsonObject,
    note: row.note,
    dagVersionHash: row.dag_version_hash,
    triggeredBy: row.triggered_by,
    clearNumber: row.clear_number,
    lastSchedulingDecision: row.last_scheduling_decision,
  };
}
