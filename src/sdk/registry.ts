import type { Dag } from './dag.ts';
import { definitionError } from './option-errors.ts';

/**
 * Which DAGs a file defined. The loader opens a session around `import(file)`; every `dag(...)`
 * call during the import lands in it. Sessions never overlap: the loader runs imports one at a time.
 */
interface ImportSession {
  file: string;
  dags: Dag[];
}

let session: ImportSession | null = null;

/** The DAG file being imported, '' outside an import (for example a DAG built inside a test). */
export function currentDagFile(): string {
  return session?.file ?? '';
}

/** Called by `dag()` once the DAG is valid. */
export function registerDag(dag: Dag): void {
  if (session === null) return;
  if (session.dags.some((known) => known.dagId === dag.dagId)) {
    throw definitionError('DAG_DUPLICATE_ID', { dagId: dag.dagId }, `DAG id "${dag.dagId}" is defined twice in ${session.file}`, 'Give each DAG a unique dagId');
  }
  session.dags.push(dag);
}

/** Runs `load` (the import) with a session for `file` and returns the DAGs it defined. */
export async function collectDags(file: string, load: () => Promise<unknown>): Promise<Dag[]> {
  if (session !== null) throw new Error(`collectDags for ${file} while ${session.file} is importing`);
  session = { file, dags: [] };
  try {
    await load();
    return session.dags;
  } finally {
    session = null;
  }
}
