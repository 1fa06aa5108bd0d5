import { chunked, type Executor } from './executor.ts';
import { onConflictUpdate } from './upsert.ts';

/** Why a DAG file could not be imported; one per file. */
export interface ImportError {
  filename: string;
  code: string;
  message: string;
  stacktrace: string;
  timestamp: number;
}

/** Records (or replaces) the import error of a file. */
export async function recordImportError(
  db: Executor,
  filename: string,
  error: { code: string; message: string; stacktrace: string },
  now: number,
): Promise<void> {
  const values = { message: error.message, stacktrace: error.stacktrace, error_code: error.code, timestamp: now };
  await onConflictUpdate(db, db.insertInto('import_error').values({ filename, ...values }), ['filename'], values).execute();
}

/** Forgets a file's import error (it imported fine this time). */
export async function clearImportError(db: Executor, filename: string): Promise<void> {
  await db.deleteFrom('import_error').where('filename', '=', filename).execute();
}

/** Every current import error, by file name. */
export async function listImportErrors(db: Executor): Promise<ImportError[]> {
  const rows = await db.selectFrom('import_error').selectAll().orderBy('filename').execute();
  return rows.map((row) => ({ filename: row.filename, code: row.error_code, message: row.message, stacktrace: row.stacktrace, timestamp: row.timestamp }));
}

/** Removes the errors of files that no longer exist; returns their names. */
export async function clearImportErrorsNotIn(db: Executor, existingFiles: readonly string[]): Promise<string[]> {
  const existing = new Set(existingFiles);
  const rows = await db.selectFrom('import_error').select('filename').execute();
  const gone = rows.map((row) => row.filename).filter((filename) => !existing.has(filename));
  for (const filenames of chunked(gone, 500)) await db.deleteFrom('import_error').where('filename', 'in', filenames).execute();
  return gone;
}
