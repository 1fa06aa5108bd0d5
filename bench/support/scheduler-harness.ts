import { join } from 'node:path';
import { enableCompileCacheForProcessTree } from '../../src/contracts/compile-cache.ts';
import { loadConfig, type UpdraftConfig } from '../../src/config/index.ts';
import { parseDagFoldersIntoStore } from '../../src/dag-processor/index.ts';
import { triggerDagRun } from '../../src/operations/index.ts';
import { createSchedulerWithExecutor } from '../../src/scheduler/index.ts';
import { createNotifier, getDagRun, migrate, openStore, setPaused, type DialectName, type Store } from '../../src/store/index.ts';
import { dropTestDatabase, testDatabaseUrl } from '../../test/support/databases.ts';
import { createBenchHome, removeBenchHome } from './bench-home.ts';

export const BENCH_DAGS = join(import.meta.dirname, '..', 'dags');

export interface BenchScheduler {
  store: Store;
  config: UpdraftConfig;
  /** Triggers `count` runs of a DAG and resolves when all have finished, with the wall time. */
  runAndWait(dagId: string, count?: number): Promise<{ wallMs: number; runIds: string[] }>;
  stop(): Promise<void>;
}

/**
 * A scheduler with a LocalExecutor on its own database (SQLite file or Postgres schema), the bench
 * DAGs parsed and unpaused: the same parts `updraft standalone` runs, minus the API server.
 */
export async function startBenchScheduler(dialect: DialectName, env: Record<string, string> = {}): Promise<BenchScheduler> {
  // As bin/updraft.js does for `standalone`: the task processes started here share the compile cache.
  enableCompileCacheForProcessTree();
  const home = createBenchHome('scheduler');
  const url = dialect === 'sqlite' ? `sqlite://${join(home, 'updraft.db')}` : await testDatabaseUrl(dialect);
  const config = loadConfig({ env: { UPDRAFT_HOME: home, UPDRAFT__DATABASE__URL: url, UPDRAFT__CORE__LOAD_EXAMPLES: 'false', UPDRAFT__CORE__DAGS_FOLDER: BENCH_DAGS, ...env } });
  const store = await openStore({ url, secretKey: 'bench-secret-key', poolSize: config.database.pool_size });
  await migrate(store.db, { defaultPoolSlots: 100_000 });
  const { results } = await parseDagFoldersIntoStore(store, { folders: [BENCH_DAGS], timeoutSeconds: 30, pausedAtCreation: false });
  for (const result of results) if (result.ok) for (const dag of result.dags) await setPaused(store.db, dag.dagId, false);
  const notifier = createNotifier(store, { url });
  const finished = new Map<string, () => void>();
  const { scheduler } = createSchedulerWithExecutor({
    store,
    config,
    notifier,
    onEvent: (event) => {
      if (event.type === 'run_finished') finished.get(`${event.dagId}/${event.runId}`)?.();
    },
  });
  await scheduler.start();
  const loop = scheduler.run();
  let sequence = 0;

  return {
    store,
    config,
    async runAndWait(dagId, count = 1) {
      const started = performance.now();
      const runIds: string[] = [];
      const done: Promise<void>[] = [];
      for (let i = 0; i < count; i += 1) {
        const runId = `bench__${(sequence += 1)}`;
        runIds.push(runId);
        done.push(new Promise<void>((resolve) => finished.set(`${dagId}/${runId}`, resolve)));
        await triggerDagRun(store, { dagId, runId, logicalDate: Date.UTC(2000, 0, 1) + sequence * 60_000, triggeredBy: 'bench', now: Date.now() });
        // As the API and the CLI do: each trigger wakes the scheduler, which starts on it at once.
        await notifier.notify('run_triggered', dagId);
      }
      await Promise.all(done);
      const wallMs = performance.now() - started;
      for (const runId of runIds) {
        const run = await getDagRun(store.db, { dagId, runId });
        if (run?.state !== 'success') throw new Error(`bench run ${dagId}/${runId} ended ${run?.state}`);
      }
      return { wallMs, runIds };
    },
    async stop() {
      await scheduler.stop({ graceful: true });
      await loop;
      await notifier.close();
      await store.close();
      if (dialect !== 'sqlite') await dropTestDatabase(url);
      removeBenchHome(home);
    },
  };
}
