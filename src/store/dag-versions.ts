import { UpdraftError } from '../contracts/errors.ts';
import type { SerializedDag } from '../contracts/serialized-dag.ts';
import type { Executor } from './queries/executor.ts';
import { getSerializedDagVersion } from './queries/serialized-dags.ts';

const CAPACITY = 256;

/** Parsed versions by dag id and hash, the least recently used first; see getDagVersion. */
const versions = new Map<string, SerializedDag>();

/**
 * One version of a DAG's structure (what a run was created with, or the latest one). A version
 * never changes once stored (its hash is of its content), so each is read and parsed once per
 * process, however many runs, loops, triggers and try starts use it. Throws DAG_NOT_FOUND when
 * the version is not stored.
 */
export async function getDagVersion(db: Executor, dagId: string, versionHash: string): Promise<SerializedDag> {
  const key = `${dagId}\u0000${versionHash}`;
  const cached = versions.get(key);
  if (cached !== undefined) {
    versions.delete(key);
    versions.set(key, cached);
    return cached;
  }
  const stored = await getSerializedDagVersion(db, dagId, versionHash);
  if (stored === null) {
    throw new UpdraftError('DAG_NOT_FOUND', `DAG ${dagId} has no serialized version ${versionHash}`, {
      hint: 'The DAG or its versions were deleted; re-parse the DAG folder and trigger a new run',
      details: { dagId, versionHash },
    });
  }
  versions.set(key, stored.dag);
  if (versions.size > CAPACITY) versions.delete(versions.keys().next().value!);
  return stored.dag;
}
