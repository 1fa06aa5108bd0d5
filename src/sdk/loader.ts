import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UpdraftError } from '../contracts/errors.ts';
import type { Dag } from './dag.ts';
import { collectDags } from './registry.ts';

export interface LoadedDagFile {
  /** Absolute path of the file. */
  file: string;
  /** Every DAG defined while the file was imported, in definition order. */
  dags: Dag[];
}

export interface LoadDagFileOptions {
  /** Imports the file afresh under this key (Node caches modules per URL); use the file's content hash. */
  cacheBust?: string;
}

/** DAGs of URLs already imported: a second import of a cached module runs no code and defines nothing. */
const loaded = new Map<string, Dag[]>();
/**
 * The same, by the path and cache key a caller asked with: a warm task process asks for its file on
 * every try, and this answers without building the URL or waiting in the import queue.
 */
const answered = new Map<string, Dag[]>();
/** Imports run one at a time so that each `dag()` call is attributed to the right file. */
let queue: Promise<unknown> = Promise.resolve();

/**
 * Imports a DAG file and returns the DAGs it defines. Errors become UpdraftErrors that name the
 * file (`details.file`): the original code when the file threw one (DAG_CYCLE...), else
 * DAG_IMPORT_FAILED with the original message and stack.
 */
export function loadDagFile(absPath: string, options: LoadDagFileOptions = {}): Promise<LoadedDagFile> {
  const request = `${absPath}\u0000${options.cacheBust ?? ''}`;
  const known = answered.get(request);
  if (known !== undefined) return Promise.resolve({ file: absPath, dags: known });
  const run = queue.then(() => importDagFile(absPath, options.cacheBust));
  queue = run.catch(() => undefined);
  return run.then((loadedFile) => {
    answered.set(request, loadedFile.dags);
    return loadedFile;
  });
}

async function importDagFile(file: string, cacheBust: string | undefined): Promise<LoadedDagFile> {
  if (!isAbsolute(file)) {
    throw new UpdraftError('INVALID_ARGUMENT', `DAG file path must be absolute: ${file}`, { hint: 'Resolve the path first (path.resolve)', details: { file } });
  }
  const url = pathToFileURL(file).href + (cacheBust ? `?v=${encodeURIComponent(cacheBust)}` : '');
  const known = loaded.get(url);
  if (known !== undefined) return { file, dags: known };
  let dags: Dag[];
  try {
    dags = await collectDags(file, () => import(url));
  } catch (error) {
    throw importError(file, error);
  }
  loaded.set(url, dags);
  return { file, dags };
}

function importError(file: string, error: unknown): UpdraftError {
  if (error instanceof UpdraftError) {
    const wrapped = new UpdraftError(error.code, `${file}: ${error.message}`, { hint: error.hint, details: { ...error.details, file }, cause: error });
    wrapped.stack = error.stack;
    return wrapped;
  }
  const message = error instanceof Error ? error.message : String(error);
  const stack = error instanceof Error ? error.stack : undefined;
  const wrapped = new UpdraftError('DAG_IMPORT_FAILED', `Failed to import ${file}: ${message}`, {
    hint: 'Fix the error in the DAG file; run it with `npx node <file>` to see the full trace',
    details: { file, stack },
    cause: error,
  });
  if (stack !== undefined) wrapped.stack = stack;
  return wrapped;
}
