/**
 * API latency on SQLite and Postgres (issue 4): a page of 100 runs out of a DAG's 10,000, and the
 * grid of 1,000 runs x 50 tasks, through the real server (Fastify inject, auth included).
 * p50 and p95 per dialect. Targets: list <= 100 ms, grid <= 300 ms (p50).
 *   npx node bench/api.ts [--update-baseline]
 */
import { buildApiServer } from '../src/api/server.ts';
import { createApiToken, createUser } from '../src/auth/index.ts';
import { loadConfig } from '../src/config/index.ts';
import { createDagRun, createTaskInstances, type DialectName, type Store } from '../src/store/index.ts';
import { seedDag, serializedDag, serializedTask } from '../test/store/fixtures.ts';
import { createTestStore } from '../test/support/databases.ts';
import { type Metric, reportBench } from './support/bench-result.ts';
import { createBenchHome, removeBenchHome } from './support/bench-home.ts';

const LIST_RUNS = 10_000;
const GRID_RUNS = 1_000;
const GRID_TASKS = 50;
const LIST_SAMPLES = 200;
const GRID_SAMPLES = 30;
const DAY = 86_400_000;
const T0 = Date.UTC(2020, 0, 1);

async function seedRuns(store: Store, dagId: string, taskCount: number, runs: number, withTaskInstances: boolean): Promise<void> {
  const dag = serializedDag(dagId, { tasks: Array.from({ length: taskCount }, (_, i) => serializedTask(`task_${String(i).padStart(2, '0')}`)) });
  const versionHash = await seedDag(store, dag);
  const states = ['success', 'failed', 'running', 'queued'] as const;
  await store.db.transaction().execute(async (trx) => {
    for (let i = 0; i < runs; i++) {
      const logicalDate = T0 + i * DAY;
      const run = await createDagRun(trx, {
        dagId,
        runId: `scheduled__${new Date(logicalDate).toISOString()}`,
        runType: 'scheduled',
        state: states[i % states.length],
        logicalDate,
        dataIntervalStart: logicalDate,
        dataIntervalEnd: logicalDate + DAY,
        runAfter: logicalDate + DAY,
        dagVersionHash: versionHash,
        triggeredBy: 'bench',
        now: logicalDate + DAY,
      });
      if (withTaskInstances) await createTaskInstances(trx, run, dag.tasks);
    }
  });
}

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function measureDialect(dialect: DialectName): Promise<Record<string, Metric>> {
  const home = createBenchHome('api');
  const store = await createTestStore(dialect);
  try {
    await seedRuns(store, 'bench_list', 2, LIST_RUNS, false);
    await seedRuns(store, 'bench_grid', GRID_TASKS, GRID_RUNS, true);
    await createUser(store, { username: 'bench', password: 'bench-password', role: 'Viewer', now: Date.now() });
    const token = await createApiToken(store, { username: 'bench', name: 'bench', expiresAt: null, now: Date.now() });
    const config = loadConfig({ env: { UPDRAFT_HOME: home, UPDRAFT__LOGGING__LEVEL: 'silent' } });
    const app = await buildApiServer({ store, config });
    await app.ready();
    const headers = { authorization: `Bearer ${token}` };
    const time = async (url: string, samples: number): Promise<number[]> => {
      const durations: number[] = [];
      for (let i = 0; i < samples + 3; i++) {
        const started = performance.now();
        const response = await app.inject({ method: 'GET', url: url.replace('{page}', String((i * 37) % (LIST_RUNS / 100))), headers });
        const elapsed = performance.now() - started;
        if (response.statusCode !== 200) throw new Error(`${url} answered ${response.statusCode}: ${response.body.slice(0, 200)}`);
        if (i >= 3) durations.push(elapsed); // the first requests warm up compiled serializers and caches
      }
      return durations;
    };
    const list = await time('/api/v1/dags/bench_list/dagRuns?limit=100&offset={page}00', LIST_SAMPLES);
    const grid = await time(`/api/v1/dags/bench_grid/grid?limit=${GRID_RUNS}`, GRID_SAMPLES);
    await app.close();
    return {
      [`${dialect}_list_runs_p50_ms`]: { value: percentile(list, 50), unit: 'ms', lowerIsBetter: true, target: 100 },
      [`${dialect}_list_runs_p95_ms`]: { value: percentile(list, 95), unit: 'ms', lowerIsBetter: true },
      [`${dialect}_grid_p50_ms`]: { value: percentile(grid, 50), unit: 'ms', lowerIsBetter: true, target: 300 },
      [`${dialect}_grid_p95_ms`]: { value: percentile(grid, 95), unit: 'ms', lowerIsBetter: true },
    };
  } finally {
    await store.drop();
    removeBenchHome(home);
  }
}

const metrics: Record<string, Metric> = {};
for (const dialect of ['sqlite', 'postgres'] as const) Object.assign(metrics, await measureDialect(dialect));
reportBench('api', metrics);
