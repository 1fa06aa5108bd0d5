import type { Selectable } from 'kysely';
import type { SerializedDag } from '../../contracts/serialized-dag.ts';
import { canonicalJson, sha256Hex } from '../canonical-json.ts';
import type { SerializedDagTable } from '../schema.ts';
import { inTransaction, type Executor } from './executor.ts';

/** One version of a DAG's structure, without the (large) document itself. */
export interface DagVersion {
  dagId: string;
  versionHash: string;
  versionNumber: number;
  fileloc: string;
  createdAt: number;
}

export interface StoredSerializedDag extends DagVersion {
  dag: SerializedDag;
  sourceCode: string;
}

export interface SaveSerializedDagResult {
  versionHash: string;
  versionNumber: number;
  /** True when the DAG's latest version moved to this hash (a new or an earlier version). */
  changed: boolean;
}

/**
 * Stores a serialized DAG as a version identified by the sha256 of its canonical JSON. New content
 * gets the next version number; content seen before reuses its version. It may run before the DAG
 * row exists (a new DAG: upsertDag then records the hash); when the row exists, its
 * latest_version_hash moves to this version. Source-only edits make no new version.
 */
export async function saveSerializedDag(
  db: Executor,
  dag: SerializedDag,
  sourceCode: string,
  now: number = Date.now(),
): Promise<SaveSerializedDagResult> {
  const data = canonicalJson(dag);
  const versionHash = sha256Hex(data);
  return inTransaction(db, async (trx) => {
    const versions = await trx.selectFrom('serialized_dag').select(['version_hash', 'version_number']).where('dag_id', '=', dag.dagId).execute();
    const current = await trx.selectFrom('dag').select('latest_version_hash').where('dag_id', '=', dag.dagId).executeTakeFirst();
    const existing = versions.find((version) => version.version_hash === versionHash);
    if (existing !== undefined) {
      const changed = current !== undefined && current.latest_version_hash !== versionHash;
      if (changed) await trx.updateTable('dag').set({ latest_version_hash: versionHash }).where('dag_id', '=', dag.dagId).execute();
      return { versionHash, versionNumber: existing.version_number, changed };
    }
    const versionNumber = Math.max(0, ...versions.map((version) => version.version_number)) + 1;
    await trx
      .insertInto('serialized_dag')
      .values({ dag_id: dag.dagId, version_hash: versionHash, version_number: versionNumber, fileloc: dag.fileloc, data, source_code: sourceCode, created_at: now })
      .execute();
    if (current !== undefined) await trx.updateTable('dag').set({ latest_version_hash: versionHash }).where('dag_id', '=', dag.dagId).execute();
    return { versionHash, versionNumber, changed: true };
  });
}

/** The version the DAG row points at, or null for an unknown DAG or one never serialized. */
export async function getLatestSerializedDag(db: Executor, dagId: string): Promise<StoredSerializedDag | null> {
  const row = await db
    .selectFrom('serialized_dag')
    .innerJoin('dag', (join) => join.onRef('dag.dag_id', '=', 'serialized_dag.dag_id').onRef('dag.latest_version_hash', '=', 'serialized_dag.version_hash'))
    .selectAll('serialized_dag')
    .where('serialized_dag.dag_id', '=', dagId)
    .executeTakeFirst();
  return row === undefined ? null : toStored(row);
}

/** One version by hash (what a DAG run was created with), or null. */
export async function getSerializedDagVersion(db: Executor, dagId: string, versionHash: string): Promise<StoredSerializedDag | null> {
  const row = await db.selectFrom('serialized_dag').selectAll().where('dag_id', '=', dagId).where('version_hash', '=', versionHash).executeTakeFirst();
  return row === undefined ? null : toStored(row);
}

/** All versions of a DAG, newest first. */
export async function listDagVersions(db: Executor, dagId: string): Promise<DagVersion[]> {
  const rows = await db
    .selectFrom('serialized_dag')
    .select(['dag_id', 'version_hash', 'version_number', 'fileloc', 'created_at'])
    .where('dag_id', '=', dagId)
    .orderBy('version_number', 'desc')
    .execute();
  return rows.map(toVersion);
}

function toVersion(row: Pick<Selectable<SerializedDagTable>, 'dag_id' | 'version_hash' | 'version_number' | 'fileloc' | 'created_at'>): DagVersion {
  return { dagId: row.dag_id, versionHash: row.version_hash, versionNumber: row.version_number, fileloc: row.fileloc, createdAt: row.created_at };
}

function toStored(row: Selectable<SerializedDagTable>): StoredSerializedDag {
  return { ...toVersion(row), dag: JSON.parse(row.data) as SerializedDag, sourceCode: row.source_code };
}
