import type { SerializedDag, SerializedTask } from '../../src/contracts/serialized-dag.ts';
import { createDagRun, createTaskInstances, saveSerializedDag, upsertDag, type DagRun, type Store } from '../../src/store/index.ts';

export const T0 = Date.UTC(2025, 0, 1);
export const DAY = 86_400_000;

export function serializedTask(taskId: string, overrides: Partial<SerializedTask> = {}): SerializedTask {
  return {
    taskId,
    operator: 'BashOperator',
    upstream: [],
    downstream: [],
    triggerRule: 'all_success',
    retries: 0,
    retryDelaySeconds: 300,
    retryExponentialBackoff: false,
    maxRetryDelaySeconds: null,
    executionTimeoutSeconds: null,
    dependsOnPast: false,
    waitForDownstream: false,
    pool: 'default_pool',
    poolSlots: 1,
    priorityWeight: 1,
    weightRule: 'downstream',
    queue: 'default',
    executor: null,
    isolation: 'pool',
    owner: 'airflow',
    email: [],
    emailOnFailure: false,
    emailOnRetry: false,
    templateFields: [],
    templateFieldValues: {},
    templateExt: [],
    group: null,
    isBranch: false,
    isShortCircuit: false,
    sensor: null,
    callbacks: { onSuccess: false, onFailure: false, onRetry: false, onExecute: false },
    xcomInputs: [],
    doc: null,
    uiColor: '#fff',
    ...overrides,
  };
}

export function serializedDag(dagId: string, overrides: Partial<SerializedDag> = {}): SerializedDag {
  return {
    format: 1,
    dagId,
    fileloc: `/dags/${dagId}.ts`,
    timetable: { kind: 'cron', expression: '0 0 * * *', timezone: 'UTC', summary: '@daily' },
    startDate: new Date(T0).toISOString(),
    endDate: null,
    timezone: 'UTC',
    catchup: false,
    tags: [],
    owner: 'airflow',
    description: null,
    docMd: null,
    params: {},
    maxActiveRuns: 16,
    maxActiveTasks: 16,
    dagrunTimeoutSeconds: null,
    isPausedUponCreation: null,
    templateSearchpath: [],
    userDefinedMacros: [],
    tasks: [serializedTask('extract'), serializedTask('load')],
    taskGroups: [],
    ...overrides,
  };
}

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
