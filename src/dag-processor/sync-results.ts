import { UpdraftError, serializeError, type SerializedError } from '../contracts/errors.ts';
import type { SerializedDag } from '../contracts/serialized-dag.ts';
import {
  clearImportError,
  clearImportErrorsNotIn,
  deactivateDagsNotIn,
  deactivateDagsOfMissingFiles,
  getDag,
  recordImportError,
  runTransaction,
  saveSerializedDag,
  upsertDag,
  type Executor,
  type Store,
} from '../store/index.ts';
import type { FileParseResult } from './parse-protocol.ts';

export interface SyncOptions {
  now: number;
  /** core.dags_are_paused_at_creation, used when a DAG does not set isPausedUponCreation. */
  pausedAtCreation: boolean;
}

export interface SyncSummary {
  /** DAGs written (new or refreshed). */
  dags: number;
  /** DAGs whose latest version moved (new DAGs included). */
  newVersions: number;
  /** Files whose import error was recorded. */
  importErrors: number;
  /** DAGs deactivated because their file stopped defining them or is gone. */
  deactivatedDagIds: string[];
}

export function emptySummary(): SyncSummary {
  return { dags: 0, newVersions: 0, importErrors: 0, deactivatedDagIds: [] };
}

/** Whether a sync changed what the scheduler or the UI see (a DAG's last_parsed_at alone does not count). */
export function changedAnything(summary: SyncSummary): boolean {
  return summary.newVersions > 0 || summary.importErrors > 0 || summary.deactivatedDagIds.length > 0;
}

/**
 * Writes what parsing found to the store: new serialized versions, DAG rows, deactivation of DAGs a
 * file stopped defining, and each file's import error set or cleared. A file that failed writes only
 * its import error; the DAGs it defined before stay as they were.
 *
 * The whole batch is one transaction (a commit per file dominates on Postgres and MySQL). If the
 * batch fails, the files are written again one transaction each, so that a file the store rejects
 * gets its own import error and the others still land.
 */
export async function syncParseResults(store: Store, results: FileParseResult[], options: SyncOptions): Promise<SyncSummary> {
  if (results.length === 0) return emptySummary();
  try {
    return await runTransaction(store.db, (trx) => syncBatch(trx, results, options));
  } catch (error) {
    if (results.length === 1) return recordStoreFailure(store, results[0]!, error, options);
  }
  const summary = emptySummary();
  for (const result of results) {
    try {
      addTo(summary, await runTransaction(store.db, (trx) => syncBatch(trx, [result], options)));
    } catch (error) {
      addTo(summary, await recordStoreFailure(store, result, error, options));
    }
  }
  return summary;
}

/**
 * Forgets files that are gone (deleted, moved away or now ignored): deactivates their DAGs and clears
 * their import errors, in one transaction.
 */
export async function forgetFiles(store: Store, files: readonly string[]): Promise<SyncSummary> {
  const summary = emptySummary();
  if (files.length === 0) return summary;
  await runTransaction(store.db, async (trx) => {
    for (const file of files) {
      summary.deactivatedDagIds.push(...(await deactivateDagsNotIn(trx, file, [])));
      await clearImportError(trx, file);
    }
  });
  return summary;
}

/**
 * Forgets every file not among `existingFiles` (all DAG files of all folders): deactivates DAGs whose
 * file is gone and clears import errors of files that are gone, including those deleted while no
 * processor was watching.
 */
export async function forgetFilesNotIn(store: Store, existingFiles: readonly string[]): Promise<SyncSummary> {
  const summary = emptySummary();
  await runTransaction(store.db, async (trx) => {
    summary.deactivatedDagIds.push(...(await deactivateDagsOfMissingFiles(trx, existingFiles)));
    await clearImportErrorsNotIn(trx, existingFiles);
  });
  return summary;
}

/** Adds `part` into `total`. */
export function addTo(total: SyncSummary, part: SyncSummary): void {
  total.dags += part.dags;
  total.newVersions += part.newVersions;
  total.importErrors += part.importErrors;
  total.deactivatedDagIds.push(...part.deactivatedDagIds);
}

async function syncBatch(trx: Executor, results: FileParseResult[], options: SyncOptions): Promise<SyncSummary> {
  const summary = emptySummary();
  // Release first: when a DAG moves from one file to another within a batch, the file it left must
  // let go of it before the file it joined is checked for duplicate ids.
  for (const result of results) {
    if (result.ok) summary.deactivatedDagIds.push(...(await deactivateDagsNotIn(trx, result.file, result.dags.map((dag) => dag.dagId))));
  }
  for (const result of results) {
    const failure = result.ok ? await findDuplicateDagId(trx, result.file, result.dags) : result.error;
    if (failure !== null) {
      await recordImportError(trx, result.file, { code: failure.code, message: failure.message, stacktrace: failure.stack ?? '' }, options.now);
      summary.importErrors += 1;
      continue;
    }
    if (!result.ok) continue;
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
    await clearImportError(trx, result.file);
  }
  return summary;
}

/**
 * The store refused a file's DAGs (a value its columns cannot hold, say): that is the file's import
 * error. If even the error cannot be written the store itself is failing, and the caller hears of it.
 */
async function recordStoreFailure(store: Store, result: FileParseResult, error: unknown, options: SyncOptions): Promise<SyncSummary> {
  const cause = serializeError(error);
  await recordImportError(
    store.db,
    result.file,
    { code: 'DAG_IMPORT_FAILED', message: `${result.file}: the metadata database refused the file's DAGs: ${cause.message}`, stacktrace: cause.stack ?? '' },
    options.now,
  );
  return { ...emptySummary(), importErrors: 1 };
}

/** Airflow refuses a DAG id that another active file already defines; so do we, naming both files. */
async function findDuplicateDagId(trx: Executor, file: string, dags: SerializedDag[]): Promise<SerializedError | null> {
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
