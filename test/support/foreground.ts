import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type UpdraftConfig } from '../../src/config/index.ts';
import type { JsonObject } from '../../src/contracts/json.ts';
import { taskLogPath } from '../../src/contracts/log-path.ts';
import { parseDagFoldersIntoStore } from '../../src/dag-processor/parse-dag-folders.ts';
import { type ForegroundRunResult, runDagInForeground } from '../../src/scheduler/foreground-run.ts';
import { createStoreTaskExecutionApi, getLatestSerializedDag, type Store } from '../../src/store/index.ts';
import { createLocalTaskRunner, type LocalTaskRunner } from '../../src/worker/local-task-runner.ts';
import { createTestStore } from './databases.ts';
import type { DialectName } from '../../src/store/index.ts';
import type { TaskExecutionApi } from '../../src/contracts/task-execution-api.ts';

/**
 * An isolated Updraft installation for a test: its own home (logs), its own database, the given DAG
 * folders parsed into it, and a warm task runner. Runs DAGs the way `updraft dags test` does.
 */
export interface ForegroundHarness {
  store: Store;
  config: UpdraftConfig;
  api: TaskExecutionApi;
  runner: LocalTaskRunner;
  run(dagId: string, logicalDate: string, conf?: JsonObject): Promise<ForegroundRunResult>;
  readLog(dagId: string, runId: string, taskId: string, tryNumber?: number): string;
  close(): Promise<void>;
}

export async function createForegroundHarness(folders: string[], dialect: DialectName = 'sqlite'): Promise<ForegroundHarness> {
  const home = mkdtempSync(join(tmpdir(), 'updraft-run-'));
  const store = await createTestStore(dialect);
  const config = loadConfig({ env: { UPDRAFT_HOME: home, UPDRAFT__DATABASE__URL: store.url } });
  await parseDagFoldersIntoStore(store, { folders, timeoutSeconds: 30, pausedAtCreation: false });
  const api = createStoreTaskExecutionApi(store, { xcomMaxBytes: config.core.xcom_max_size_bytes });
  const runner = createLocalTaskRunner({ config, api, size: 1 });
  return {
    store,
    config,
    api,
    runner,
    async run(dagId, logicalDate, conf = {}) {
      const latest = await getLatestSerializedDag(store.db, dagId);
      if (latest === null) throw new Error(`DAG ${dagId} was not parsed`);
      return runDagInForeground({ store, dag: latest.dag, versionHash: latest.versionHash, logicalDate: Date.parse(logicalDate), conf, runTry: runner.runTry });
    },
    readLog(dagId, runId, taskId, tryNumber = 1) {
      return readFileSync(join(config.logging.base_log_folder, taskLogPath({ dagId, runId, taskId, mapIndex: -1, tryNumber })), 'utf8');
    },
    async close() {
      await runner.close();
      await store.drop();
      rmSync(home, { recursive: true, force: true });
    },
  };
}
