import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig, type UpdraftConfig } from '../../../src/config/index.ts';
import type { JsonObject, JsonValue } from '../../../src/contracts/json.ts';
import type { SerializedDag } from '../../../src/contracts/serialized-dag.ts';
import type { TaskExecutionApi } from '../../../src/contracts/task-execution-api.ts';
import type { TaskInstanceKey } from '../../../src/contracts/task-instance.ts';
import type { TaskWorkload } from '../../../src/contracts/workload.ts';
import { parseDagFoldersIntoStore } from '../../../src/dag-processor/parse-dag-folders.ts';
import { buildWorkload } from '../../../src/scheduler/build-workload.ts';
import {
  createDagRun,
  createStoreTaskExecutionApi,
  createTaskInstances,
  getLatestSerializedDag,
  getTaskInstance,
  setTaskInstanceState,
  type Store,
  type TaskInstance,
} from '../../../src/store/index.ts';
import { createTestStore } from '../../support/databases.ts';

export const EXECUTOR_DAGS = fileURLToPath(new URL('../../fixtures/dags-executors', import.meta.url));
export const CONFORMANCE_DAG_ID = 'executor_conformance';
/** core.parallelism in every harness, so executors that take it have more than one slot. */
export const HARNESS_PARALLELISM = 3;

/** One DAG run of executor_conformance with all its task instances, and a temp folder as conf.dir. */
export interface TestRun {
  runId: string;
  /** Where the run's tasks write (conf.dir). */
  dir: string;
  /** Moves the task instance to `queued` for its next try and returns that try's workload. */
  queue(taskId: string): Promise<TaskWorkload>;
  ti(taskId: string): Promise<TaskInstance>;
  returnValue(taskId: string): Promise<JsonValue | undefined>;
}

/**
 * An isolated installation for executor tests: its own home (logs), its own SQLite database with
 * the DAGs of test/fixtures/dags-executors parsed into it, and the store's TaskExecutionApi.
 */
export interface ExecutorHarness {
  store: Store;
  config: UpdraftConfig;
  api: TaskExecutionApi;
  newRun(conf?: JsonObject): Promise<TestRun>;
  close(): Promise<void>;
}

export async function createExecutorHarness(env: Record<string, string> = {}): Promise<ExecutorHarness> {
  const home = mkdtempSync(join(tmpdir(), 'updraft-executors-'));
  const store = await createTestStore('sqlite');
  const config = loadConfig({
    env: { UPDRAFT_HOME: home, UPDRAFT__DATABASE__URL: store.url, UPDRAFT__CORE__PARALLELISM: String(HARNESS_PARALLELISM), ...env },
  });
  await parseDagFoldersIntoStore(store, { folders: [EXECUTOR_DAGS], timeoutSeconds: 30, pausedAtCreation: false });
  const latest = await getLatestSerializedDag(store.db, CONFORMANCE_DAG_ID);
  if (latest === null) throw new Error(`${CONFORMANCE_DAG_ID} did not parse`);
  const api = createStoreTaskExecutionApi(store, { xcomMaxBytes: config.core.xcom_max_size_bytes });
  let runs = 0;
  return {
    store,
    config,
    api,
    async newRun(conf = {}) {
      runs += 1;
      const dir = mkdtempSync(join(home, 'run-'));
      return createTestRun(store, api, latest.dag, latest.versionHash, { runNumber: runs, conf: { dir, ...conf }, dir });
    },
    async close() {
      await store.drop();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

async function createTestRun(
  store: Store,
  api: TaskExecutionApi,
  dag: SerializedDag,
  versionHash: string,
  options: { runNumber: number; conf: JsonObject; dir: string },
): Promise<TestRun> {
  const logicalDate = Date.UTC(2024, 0, 1) + options.runNumber * 60_000;
  const runId = `manual__${new Date(logicalDate).toISOString()}`;
  const run = await createDagRun(store.db, {
    dagId: dag.dagId,
    runId,
    runType: 'manual',
    state: 'running',
    logicalDate,
    dataIntervalStart: logicalDate,
    dataIntervalEnd: logicalDate,
    runAfter: logicalDate,
    conf: options.conf,
    dagVersionHash: versionHash,
    triggeredBy: 'test',
    now: Date.now(),
  });
  await createTaskInstances(store.db, run, dag.tasks);
  const keyOf = (taskId: string): TaskInstanceKey => ({ dagId: dag.dagId, runId, taskId, mapIndex: -1 });
  const ti = async (taskId: string): Promise<TaskInstance> => {
    const found = await getTaskInstance(store.db, keyOf(taskId));
    if (found === null) throw new Error(`no task instance ${taskId} in ${runId}`);
    return found;
  };
  return {
    runId,
    dir: options.dir,
    ti,
    async queue(taskId) {
      const task = dag.tasks.find((candidate) => candidate.taskId === taskId);
      if (task === undefined) throw new Error(`no task ${taskId} in ${dag.dagId}`);
      const current = await ti(taskId);
      const key = { ...keyOf(taskId), tryNumber: current.tryNumber + 1 };
      const queued = await setTaskInstanceState(store.db, key, { from: [current.state], to: 'queued', now: Date.now() });
      if (!queued) throw new Error(`could not queue ${taskId}`);
      return buildWorkload(dag, task, key, versionHash, task.priorityWeight);
    },
    returnValue: (taskId) => api.pullXCom({ dagId: dag.dagId, runId, taskId, key: 'return_value' }),
  };
}
