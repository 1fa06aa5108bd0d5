/**
 * `dags test`-style foreground runs of 40 chained fib(10) tasks and 10 chained fib(33) tasks on
 * SQLite: total wall time and orchestration overhead per task (wall time minus the compute time each
 * task measured itself). Target (issue 2): overhead under 5 ms per task.
 *   npx node bench/dags-test-chain.ts [--update-baseline]
 */
import { join } from 'node:path';
import { loadConfig } from '../src/config/index.ts';
import { parseDagFoldersIntoStore } from '../src/dag-processor/parse-dag-folders.ts';
import { runDagInForeground } from '../src/scheduler/foreground-run.ts';
import { createStoreTaskExecutionApi, getLatestSerializedDag, migrate, openStore } from '../src/store/index.ts';
import { createLocalTaskRunner } from '../src/worker/local-task-runner.ts';
import { type Metric, reportBench } from './support/bench-result.ts';
import { createBenchHome, removeBenchHome } from './support/bench-home.ts';

const home = createBenchHome('dags-test');
const config = loadConfig({ env: { UPDRAFT_HOME: home, UPDRAFT__CORE__LOAD_EXAMPLES: 'false', UPDRAFT__CORE__DAGS_FOLDER: join(import.meta.dirname, 'dags') } });
const store = await openStore({ url: config.database.url, secretKey: 'bench-secret-key' });
await migrate(store.db, { defaultPoolSlots: 128 });
await parseDagFoldersIntoStore(store, { folders: [config.core.dags_folder], timeoutSeconds: 30, pausedAtCreation: false });
const api = createStoreTaskExecutionApi(store, { xcomMaxBytes: config.core.xcom_max_size_bytes });
const runner = createLocalTaskRunner({ config, api, size: 1 });

async function measure(dagId: string): Promise<{ wallMs: number; computeMs: number; tasks: number }> {
  const latest = await getLatestSerializedDag(store.db, dagId);
  if (latest === null) throw new Error(`bench DAG ${dagId} did not parse`);
  const started = performance.now();
  const result = await runDagInForeground({ store, dag: latest.dag, versionHash: latest.versionHash, logicalDate: Date.now(), conf: {}, runTry: runner.runTry });
  const wallMs = performance.now() - started;
  if (result.state !== 'success') throw new Error(`bench run of ${dagId} ended ${result.state}`);
  let computeMs = 0;
  for (const task of latest.dag.tasks) {
    computeMs += Number(await api.pullXCom({ dagId, runId: result.runId, taskId: task.taskId, key: 'return_value' }));
  }
  return { wallMs, computeMs, tasks: latest.dag.tasks.length };
}

try {
  await measure('bench_chain_fib10'); // warm-up: the task process imports the DAG file once
  const metrics: Record<string, Metric> = {};
  for (const [label, dagId] of [['fib10x40', 'bench_chain_fib10'], ['fib33x10', 'bench_chain_fib33']] as const) {
    const { wallMs, computeMs, tasks } = await measure(dagId);
    metrics[`${label}_wall_ms`] = { value: wallMs, unit: 'ms', lowerIsBetter: true };
    metrics[`${label}_compute_ms`] = { value: computeMs, unit: 'ms', lowerIsBetter: true };
    metrics[`${label}_overhead_per_task_ms`] = { value: (wallMs - computeMs) / tasks, unit: 'ms', lowerIsBetter: true, target: 5 };
  }
  reportBench('dags-test-chain', metrics);
} finally {
  await runner.close();
  await store.close();
  removeBenchHome(home);
}
