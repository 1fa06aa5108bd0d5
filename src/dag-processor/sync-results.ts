import { UpdraftError, serializeError } from '../contracts/errors.ts';
import type { SerializedDag } from '../contracts/serialized-dag.ts';
import {
  clearImportError,
  deactivateDagsNotIn,
  getDag,
  recordImportError,
  saveSerializedDag,
  upsertDag,
  type Store,
} from '../store/index.ts';
import type { FileParseResult } from './parse-protocol.ts';

export interface SyncOptions {
  now: number;
  /** core.dags_are_paused_at_creation, used when a DAG does not set isPausedUponCreation. */
  pausedAtCreation: boolean;
}

export interface SyncSummary {
  dags: number;
  newVersions: number;
  importErrors: number;
}

/**
 * Writes what parsing found to the store, one transaction per file: new serialized versions, DAG
 * rows, deactivation of DAGs the file stopped defining, and its import error set or cleared. A file
 * that failed writes only its import error; the DAGs it defined before stay as they were.
 */
export async function syncParseResults(store: Store, results: FileParseResult[], options: SyncOptions): Promise<SyncSummary> {
  const summary: SyncSummary = { dags: 0, newVersions: 0, importErrors: 0 };
  for (const result of results) {
    await store.db.transaction().execute(async (trx) => {
      const failure = result.ok ? await findDuplicateDagId(trx, result.file, result.dags) : result.error;
      if (failure !== null) {
        await recordImportError(trx, result.file, { code: failure.code, message: failure.message, stacktrace: failure.stack ?? '' }, options.now);
        summary.importErrors += 1;
        return;
      }
      if (!result.ok) return;
      for (const dag of result.dags) {
        const version = await saveSerializedDag(trx, dag, result.sourceCode, options.now);
        await upsertDag(trx, dag, {
          versionHash: version.versionHash,
          now: options.now,
          pausedOnCreation: dag.isPausedUponCreation ?? options.pausedAtCreation,
        });
        summary.dags += 1;
        if (version.changed) summary.newVersions += 1;
      }
      await deactivateDagsNotIn(trx, result.file, result.dags.map((dag) => dag.dagId));
      await clearImportError(trx, result.file);
    });
  }
  return summary;
}

type Executor = Parameters<typeof getDag>[0];

/** Airflow refuses a DAG id that another active file already defines; so do we, naming both files. */
async function findDuplicateDagId(trx: Executor, file: string, dags: SerializedDag[]): Promise<ReturnType<typeof serializeError> | null> {
  for (const dag of dags) {
    const existing = await getDag(trx, dag.dagId);
    if (existing !== null && existing.isActive && existing.fileloc !== file) {
      return serializeError(
        new UpdraftError('DAG_DUPLICATE_ID', `${file}: DAG id "${dag.dagId}" is already defined in ${existing.fileloc}`, {
          hint: 'Give one of the DAGs another dagId',
          details: { file, dagId: dag.dagId, otherFile: existing.fileloc },
        }),
      );
    }
  }
  return null;
}
