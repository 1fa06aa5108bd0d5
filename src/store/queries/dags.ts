import { sql, type Selectable } from 'kysely';
import type { SerializedDag } from '../../contracts/serialized-dag.ts';
import { canonicalJson, sha256Hex } from '../canonical-json.ts';
import type { DagTable } from '../schema.ts';
import { chunked, inTransaction, likeContains, toFlag, type Executor } from './executor.ts';
import { executePrepared, executeSized } from './prepared.ts';
import { onConflictUpdate } from './upsert.ts';

/** A DAG as the scheduler, API and UI see it (the `dag` table plus its tags). */
export interface Dag {
  dagId: string;
  fileloc: string;
  isPaused: boolean;
  isActive: boolean;
  lastParsedAt: number;
  owners: string;
  description: string | null;
  timetableSummary: string;
  maxActiveRuns: number;
  maxActiveTasks: number;
  latestVersionHash: string;
  nextDagrunLogicalDate: number | null;
  nextDagrunDataIntervalStart: number | null;
  nextDagrunDataIntervalEnd: number | null;
  nextDagrunCreateAfter: number | null;
  tags: string[];
}

/** Bookkeeping that goes with a parsed DAG but is not part of its serialized form. */
export interface UpsertDagOptions {
  /** Hash of the serialized version just saved (saveSerializedDag). */
  versionHash: string;
  now: number;
  /** Only used when the DAG is new: an existing DAG keeps its paused flag. */
  pausedOnCreation: boolean;
}

export type DagOrder = 'dagId' | '-dagId' | 'lastParsedAt' | '-lastParsedAt' | 'nextDagrunCreateAfter' | '-nextDagrunCreateAfter';

export interface ListDagsOptions {
  paused?: boolean;
  active?: boolean;
  /** DAGs carrying any of these tags. */
  tags?: string[];
  /** Case-insensitive substring of the DAG id. */
  search?: string;
  limit: number;
  offset: number;
  orderBy?: DagOrder;
}

const ORDER_COLUMNS = {
  dagId: 'dag_id',
  lastParsedAt: 'last_parsed_at',
  nextDagrunCreateAfter: 'next_dagrun_create_after',
} as const;

/**
 * Inserts or refreshes the row of a parsed DAG (and its tags) from its serialized form; marks it
 * active again. Never touches is_paused of an existing DAG nor the scheduler's next_dagrun fields:
 * it refreshes schedule_key, and a key that changed tells the scheduler to recompute them.
 */
export async function upsertDag(db: Executor, dag: SerializedDag, options: UpsertDagOptions): Promise<void> {
  await inTransaction(db, async (trx) => {
    const refreshed = {
      fileloc: dag.fileloc,
      owners: dag.owner,
      description: dag.description,
      timetable_summary: dag.timetable.summary,
      max_active_runs: dag.maxActiveRuns,
      max_active_tasks: dag.maxActiveTasks,
      latest_version_hash: options.versionHash,
      schedule_key: scheduleKeyOf(dag),
      last_parsed_at: options.now,
      is_active: 1 as const,
    };
    const insert = trx.insertInto('dag').values({
      dag_id: dag.dagId,
      ...refreshed,
      is_paused: toFlag(options.pausedOnCreation),
      next_dagrun_logical_date: null,
      next_dagrun_data_interval_start: null,
      next_dagrun_data_interval_end: null,
      next_dagrun_create_after: null,
    });
    await onConflictUpdate(trx, insert, ['dag_id'], refreshed).execute();
    await replaceTags(trx, dag.dagId, dag.tags);
  });
}

/** Hash of everything that lays out a DAG's automated runs; a new value invalidates next_dagrun_*. */
export function scheduleKeyOf(dag: Pick<SerializedDag, 'timetable' | 'startDate' | 'endDate' | 'catchup'>): string {
  return sha256Hex(canonicalJson({ timetable: dag.timetable, startDate: dag.startDate, endDate: dag.endDate, catchup: dag.catchup }));
}

/** One DAG with its tags, or null. */
export async function getDag(db: Executor, dagId: string): Promise<Dag | null> {
  const { rows } = await executePrepared(db, 'getDag', { dagId }, (db, param) => db.selectFrom('dag').selectAll().where('dag_id', '=', param('dagId')));
  const row = rows[0];
  if (row === undefined) return null;
  const tags = await tagsOf(db, [dagId]);
  return toDag(row, tags.get(dagId) ?? []);
}

/**
 * The latest version of an active DAG, or null when there is no such DAG or its file is gone: what
 * a trigger needs, read without the DAG's tags.
 */
export async function getActiveDagVersionHash(db: Executor, dagId: string): Promise<string | null> {
  const { rows } = await executePrepared(db, 'getActiveDagVersionHash', { dagId }, (db, param) =>
    db.selectFrom('dag').select('latest_version_hash').where('dag_id', '=', param('dagId')).where('is_active', '=', 1),
  );
  return rows[0]?.latest_version_hash ?? null;
}

/** A page of DAGs matching the filters, and how many match in total. */
export async function listDags(db: Executor, options: ListDagsOptions): Promise<{ dags: Dag[]; total: number }> {
  let query = db.selectFrom('dag');
  if (options.paused !== undefined) query = query.where('is_paused', '=', toFlag(options.paused));
  if (options.active !== undefined) query = query.where('is_active', '=', toFlag(options.active));
  if (options.search !== undefined && options.search !== '') {
    query = query.where(sql<boolean>`lower(${sql.ref('dag.dag_id')}) like ${likeContains(options.search)} escape '!'`);
  }
  if (options.tags !== undefined && options.tags.length > 0) {
    const tags = options.tags;
    query = query.where('dag_id', 'in', (eb) => eb.selectFrom('dag_tag').select('dag_tag.dag_id').where('dag_tag.name', 'in', tags));
  }
  const order = options.orderBy ?? 'dagId';
  const descending = order.startsWith('-');
  const column = ORDER_COLUMNS[(descending ? order.slice(1) : order) as keyof typeof ORDER_COLUMNS];
  const [rows, count] = await Promise.all([
    query
      .selectAll()
      .orderBy(column, descending ? 'desc' : 'asc')
      .orderBy('dag_id')
      .limit(options.limit)
      .offset(options.offset)
      .execute(),
    query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ]);
  const tags = await tagsOf(db, rows.map((row) => row.dag_id));
  return { dags: rows.map((row) => toDag(row, tags.get(row.dag_id) ?? [])), total: Number(count.total) };
}

/** Pauses or unpauses a DAG; false when the DAG does not exist. */
export async function setPaused(db: Executor, dagId: string, paused: boolean): Promise<boolean> {
  const result = await db.updateTable('dag').set({ is_paused: toFlag(paused) }).where('dag_id', '=', dagId).executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Deactivates the DAGs of `fileloc` that the file no longer defines; returns their ids. */
export async function deactivateDagsNotIn(db: Executor, fileloc: string, dagIds: readonly string[]): Promise<string[]> {
  const active = await db.selectFrom('dag').select('dag_id').where('fileloc', '=', fileloc).where('is_active', '=', 1).execute();
  const keep = new Set(dagIds);
  return deactivate(db, active.map((row) => row.dag_id).filter((dagId) => !keep.has(dagId)));
}

/** Deactivates the DAGs whose file is not among `existingFiles` (deleted or moved away); returns their ids. */
export async function deactivateDagsOfMissingFiles(db: Executor, existingFiles: readonly string[]): Promise<string[]> {
  const active = await db.selectFrom('dag').select(['dag_id', 'fileloc']).where('is_active', '=', 1).execute();
  const existing = new Set(existingFiles);
  return deactivate(db, active.filter((row) => !existing.has(row.fileloc)).map((row) => row.dag_id));
}

/**
 * Deletes a DAG with its serialized versions and, through ON DELETE CASCADE, its tags, runs, task
 * instances, tries, reschedules and XComs. Returns false when the DAG did not exist.
 */
export async function deleteDag(db: Executor, dagId: string): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    // Versions have no foreign key to dag: they are written before the DAG row exists (see saveSerializedDag).
    await trx.deleteFrom('serialized_dag').where('dag_id', '=', dagId).execute();
    const result = await trx.deleteFrom('dag').where('dag_id', '=', dagId).executeTakeFirst();
    return result.numDeletedRows > 0n;
  });
}

/** Makes a DAG's tags exactly `tags`. */
export async function replaceTags(db: Executor, dagId: string, tags: readonly string[]): Promise<void> {
  await inTransaction(db, async (trx) => {
    await trx.deleteFrom('dag_tag').where('dag_id', '=', dagId).execute();
    const unique = [...new Set(tags)];
    if (unique.length > 0) await trx.insertInto('dag_tag').values(unique.map((name) => ({ dag_id: dagId, name }))).execute();
  });
}

async function deactivate(db: Executor, dagIds: string[]): Promise<string[]> {
  for (const ids of chunked(dagIds, 500)) await db.updateTable('dag').set({ is_active: 0 }).where('dag_id', 'in', ids).execute();
  return dagIds;
}

async function tagsOf(db: Executor, dagIds: string[]): Promise<Map<string, string[]>> {
  const tags = new Map<string, string[]>();
  if (dagIds.length === 0) return tags;
  const params = Object.fromEntries(dagIds.map((dagId, index) => [`dagId${index}`, dagId]));
  const { rows } = await executeSized(db, 'tagsOf', dagIds.length, params, (db, param) =>
    db
      .selectFrom('dag_tag')
      .select(['dag_id', 'name'])
      .where('dag_id', 'in', dagIds.map((_, index) => param(`dagId${index}`)))
      .orderBy('name'),
  );
  for (const row of rows) tags.set(row.dag_id, [...(tags.get(row.dag_id) ?? []), row.name]);
  return tags;
}

function toDag(row: Selectable<DagTable>, tags: string[]): Dag {
  return {
    dagId: row.dag_id,
    fileloc: row.fileloc,
    isPaused: row.is_paused === 1,
    isActive: row.is_active === 1,
    lastParsedAt: row.last_parsed_at,
    owners: row.owners,
    description: row.description,
    timetableSummary: row.timetable_summary,
    maxActiveRuns: row.max_active_runs,
    maxActiveTasks: row.max_active_tasks,
    latestVersionHash: row.latest_version_hash,
    nextDagrunLogicalDate: row.next_dagrun_logical_date,
    nextDagrunDataIntervalStart: row.next_dagrun_data_interval_start,
    nextDagrunDataIntervalEnd: row.next_dagrun_data_interval_end,
    nextDagrunCreateAfter: row.next_dagrun_create_after,
    tags,
  };
}
