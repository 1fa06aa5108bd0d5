import type { SerializedDag } from '../../src/contracts/serialized-dag.ts';
import { createDagRun, createTaskInstances, saveSerializedDag, upsertDag, type DagRun, type Store } from '../../src/store/index.ts';

import { DAY, T0 } from '../support/serialized-dag.ts';

export { DAY, serializedDag, serializedTask, T0 } from '../support/serialized-dag.ts';

/** Saves a DAG's version and row the way the DAG processor does; returns the version hash. */
export async function seedDag(store: Store, dag: SerializedDag, now = T0): Promise<string> {
  const { versionHash } = await saveSerializedDag(store.db, dag, `// source of ${dag.dagId}`, now);
  await upsertDag(store.db, dag, { versionHash, now, pausedOnCreation: false });
  return versionHash;
}

/** A DAG, one scheduled run at `logicalDate` and its task instances (state `none`). */
export async function seedRun(
  store: Store,
  dag: SerializedDag,
  options: { runId?: string; logicalDate?: number; conf?: Record<string, string | number> } = {},
): Promise<DagRun> {
  const versionHash = await seedDag(store, dag);
  const logicalDate = options.logicalDate ?? T0;
  const run = await createDagRun(store.db, {
    dagId: dag.dagId,
    runId: options.runId ?? `scheduled__${new Date(logicalDate).toISOString()}`,
    runType: 'scheduled',
    logicalDate,
    dataIntervalStart: logicalDate,
    dataIntervalEnd: logicalDate + DAY,
    runAfter: logicalDate + DAY,
    conf: options.conf ?? {},
    dagVersionHash: versionHash,
    triggeredBy: 'test',
    now: logicalDate + DAY,
  });
  await createTaskInstances(store.db, run, dag.tasks);
  return run;
}

/** Expects `promise` to reject with an UpdraftError of `code`; returns the error for further checks. */
export async function rejectsWithCode(promise: Promise<unknown>, code: string): Promise<{ code: string; message: string; details: Record<string, unknown>; hint?: string }> {
  try {
    await promise;
  } catch (error) {
    const coded = error as { code: string; message: string; details: Record<string, unknown>; hint?: string };
    if (coded.code !== code) throw error;
    return coded;
  }
  throw new Error(`expected a ${code} error, but the promise resolved`);
}
