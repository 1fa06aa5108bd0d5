import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { getDagRun, listTaskInstances, openStore, type Store } from '../../src/store/index.ts';
import { dropTestDatabase, testDatabaseUrl } from '../support/databases.ts';
import { runCli } from '../support/run-cli.ts';
import { countingDagSource, countingSetup, readExecutions, spawnScheduler, stopProcess, waitFor, type CountingSetup } from './support/scheduler-process.ts';

const TASKS = 200;

/**
 * The crash test: kill -9 the scheduler in the middle of a 200-task run, start a new one, and
 * the run finishes with no task try executed twice (counted by the tasks themselves).
 */
describe('scheduler crash recovery', () => {
  let setup: CountingSetup | undefined;
  let url: string | undefined;
  let store: Store | undefined;
  const children: ReturnType<typeof spawnScheduler>[] = [];

  afterEach(async () => {
    for (const child of children.splice(0)) await stopProcess(child, 'SIGKILL');
    await store?.close();
    if (url !== undefined) await dropTestDatabase(url);
    if (setup !== undefined) rmSync(setup.home, { recursive: true, force: true });
    setup = url = store = undefined;
  });

  it('finishes a 200-task run after kill -9 of its scheduler, with no try executed twice', async () => {
    url = await testDatabaseUrl('sqlite');
    setup = countingSetup(url, 'crash.ts', countingDagSource('crash_200', TASKS, 25));
    const s = setup;
    expect((await runCli(['dags', 'reserialize'], s.env)).code).toBe(0);
    expect((await runCli(['dags', 'trigger', 'crash_200', '--run-id', 'crash'], s.env)).code).toBe(0);
    store = await openStore({ url, secretKey: 'crash-test-secret-key' });
    const db = store;

    const first = spawnScheduler(s.env);
    children.push(first);
    await waitFor('a quarter of the tasks to run', () => readExecutions(s.executions).length >= TASKS / 4, 60_000);
    await stopProcess(first, 'SIGKILL');
    const atKill = readExecutions(s.executions).length;
    expect(atKill).toBeLessThan(TASKS); // killed mid-run, not after

    const second = spawnScheduler(s.env);
    children.push(second);
    await waitFor('the run to finish', async () => ['success', 'failed'].includes((await getDagRun(db.db, { dagId: 'crash_200', runId: 'crash' }))?.state ?? ''), 120_000);

    const run = await getDagRun(db.db, { dagId: 'crash_200', runId: 'crash' });
    expect(run?.state).toBe('success');
    const instances = await listTaskInstances(db.db, { dagId: 'crash_200', runId: 'crash' });
    expect(instances.filter((ti) => ti.state === 'success')).toHaveLength(TASKS);

    const executions = readExecutions(s.executions);
    // No (task, try) ran twice...
    expect(new Set(executions).size).toBe(executions.length);
    // ...every task ran, and only tries the kill interrupted needed a second try.
    const tasksRun = new Set(executions.map((line) => line.split(' ')[1]));
    expect(tasksRun.size).toBe(TASKS);
    const retried = executions.filter((line) => !line.endsWith(' 1'));
    expect(retried.length).toBeLessThanOrEqual(8); // at most one interrupted try per parallelism slot
  }, 300_000);
});
