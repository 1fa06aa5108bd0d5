import { resolve } from 'node:path';
import { UpdraftError } from '../contracts/errors.ts';
import type { SerializedDag } from '../contracts/serialized-dag.ts';
import { parseDagFoldersIntoStore } from '../dag-processor/parse-dag-folders.ts';
import type { FileParseResult } from '../dag-processor/parse-protocol.ts';
import { getLatestSerializedDag, type Store } from '../store/index.ts';
import type { CliContext } from './cli-context.ts';
import { dagFolders } from './dag-folders.ts';

export interface ParsedDag {
  dag: SerializedDag;
  versionHash: string;
}

/**
 * Parses the DAG folders (or one file) into the store and returns the newest version of `dagId`.
 * When the DAG is missing and files failed to import, the error lists them: the DAG is most likely
 * in one of them.
 */
export async function parseAndFindDag(context: CliContext, store: Store, dagId: string, file?: string): Promise<ParsedDag> {
  const { config } = context;
  const { results } = await parseDagFoldersIntoStore(store, {
    folders: dagFolders(config),
    ...(file === undefined ? {} : { files: [resolve(file)] }),
    timeoutSeconds: config.core.dag_import_timeout,
    pausedAtCreation: config.core.dags_are_paused_at_creation,
  });
  const found = results.find((result) => result.ok && result.dags.some((dag) => dag.dagId === dagId));
  const latest = found === undefined ? null : await getLatestSerializedDag(store.db, dagId);
  if (latest !== null) return { dag: latest.dag, versionHash: latest.versionHash };

  const failed = results.filter((result): result is Extract<FileParseResult, { ok: false }> => !result.ok);
  if (failed.length === 1) throw importErrorOf(failed[0]!);
  throw new UpdraftError('DAG_NOT_FOUND', `No DAG "${dagId}" in ${file ?? dagFolders(config).join(', ')}`, {
    hint:
      failed.length > 0
        ? `${failed.length} file(s) failed to import: ${failed.map((f) => `${f.file} (${f.error.code})`).join(', ')}; see \`updraft dags list-import-errors\``
        : 'Check the dagId, or point core.dags_folder (UPDRAFT__CORE__DAGS_FOLDER) at the folder that holds the DAG',
  });
}

/** The import error of one file as a coded error whose message names the file. */
export function importErrorOf(result: Extract<FileParseResult, { ok: false }>): UpdraftError {
  const message = result.error.message.includes(result.file) ? result.error.message : `${result.file}: ${result.error.message}`;
  return new UpdraftError(result.error.code, message, { hint: result.error.hint, details: { ...result.error.details, file: result.file } });
}
