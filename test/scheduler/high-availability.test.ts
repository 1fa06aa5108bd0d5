import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { triggerDagRun } from '../../src/operations/index.ts';
import { listDagRuns, openStore, type Store } from '../../src/store/index.ts';
import { dropTestDatabase, testDatabaseUrl } from '../support/databases.ts';
import { runCli } from '../support/run-cli.ts';
import { countingDagSource, countingSetup, readExecutions, spawnScheduler, stopProcess, waitFor, type CountingSetup } from './support/scheduler-process.ts';

const RUNS = 20;
const TASKS_PER_RUN = 25;

/**
 * The HA test: two scheduler processes over one Postgres database run 500 tasks across 20
 * runs, and the tasks themselves count zero duplicate executions.
 */
describe('two schedulers on one Postgres database', () => {
  let setup: CountingSetup | undefined;
  let url: string | undefined;
  let store: Store | undefined;
  const children: ReturnType<typeof spawnScheduler>[] = [];

  afterEach(async () => {
    for (const child of children.splice(0)) await stopProcess(child, 'SIGTERM');
    await store?.close();
    if (url !== undefined) await dropTestDatabase(url);
    if (setup !== undefined) rmSync(setup.home, { recursive: true, force: true });
    setup = url = store = undefined;
  });

  it('run 500 tasks across 20 runs with every task executed exactly once', async () => {
    url = await testDatabaseUrl('postgres');
    setup = countingSetup(url, 'ha.ts', countingDagSource('ha_runs', TASKS_PER_RUN, 5), { UPDRAFT__CORE__PARALLELISM: '4' });
    const s = setup;
    expect((await runCli(['dags', 'reserialize'], s.env)).code).toBe(0);
    children.push(spawnScheduler(s.env), spawnScheduler(s.env));
    store = await openStore({ url, secretKey: 'crash-test-secret-key' });
    const db = store;
    for (let run = 0; run < RUNS; run++) {
      await triggerDagRun(db, { dagId: 'ha_runs', runId: `ha_${run}`, logicalDate: Date.UTC(2024, 0, 1, 0, run), triggeredBy: 'test', now: Date.now() });
    }
    const finished = async (): Promise<boolean> => {
      const { runs } = await listDagRuns(db.db, { dagId: 'ha_runs', limit: 100, offset: 0 });
      return runs.length === RUNS && runs.every((run) => run.state === 'success' || run.state === 'failed');
    };
    await waitFor('all runs to finish', finished, 180_000);

    const { runs } = await listDagRuns(db.db, { dagId: 'ha_runs', limit: 100, offset: 0 });
    expect(runs.map((run) => run.state)).toEqual(Array.from({ length: RUNS }, () => 'success'));
    const executions = readExecutions(s.executions);
    expect(executions).toHaveLength(RUNS * TASKS_PER_RUN);
    expect(new Set(executions).size).toBe(RUNS * TASKS_PER_RUN);
    expect(executions.every((line) => line.endsWith(' 1'))).toBe(true);
  }, 300_000);
});
