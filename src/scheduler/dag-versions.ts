import { UpdraftError } from '../contracts/errors.ts';
import type { SerializedDag } from '../contracts/serialized-dag.ts';
import { getSerializedDagVersion, type Executor } from '../store/index.ts';

const CAPACITY = 256;

/**
 * Serialized DAG versions by (dag id, hash). A version never changes once stored, so it is read
 * once and kept (the least recently used go first), however many runs and loops use it.
 */
export class DagVersions {
  readonly #cache = new Map<string, SerializedDag>();

  async get(db: Executor, dagId: string, versionHash: string): Promise<SerializedDag> {
    const key = `${dagId}\u0000${versionHash}`;
    const cached = this.#cache.get(key);
    if (cached !== undefined) {
      this.#cache.delete(key);
      this.#cache.set(key, cached);
      return cached;
    }
    const stored = await getSerializedDagVersion(db, dagId, versionHash);
    if (stored === null) {
      throw new UpdraftError('DAG_NOT_FOUND', `DAG ${dagId} has no serialized version ${versionHash}`, {
        hint: 'The DAG or its versions were deleted; re-parse the DAG folder',
        details: { dagId, versionHash },
      });
    }
    this.#cache.set(key, stored.dag);
    if (this.#cache.size > CAPACITY) this.#cache.delete(this.#cache.keys().next().value!);
    return stored.dag;
  }
}
