import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listTaskInstances, getDagRun, openStore } from '../../src/store/index.ts';
import { DIALECTS, dropTestDatabase, testDatabaseUrl } from '../support/databases.ts';
import { runCli } from '../support/run-cli.ts';

const RUN_ID = 'manual__2015-06-01T00:00:00.000Z';

/** The acceptance: `updraft dags test tutorial 2015-06-01` on each of the three databases. */
describe.each(DIALECTS)('updraft dags test tutorial on %s', (dialect) => {
  let home: string;
  let url: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'updraft-cli-'));
    url = await testDatabaseUrl(dialect);
    // An empty dags folder: the tutorial comes from the bundled examples (core.load_examples).
    env = { UPDRAFT_HOME: home, UPDRAFT__DATABASE__URL: url, UPDRAFT__CORE__DAGS_FOLDER: join(home, 'dags') };
  });

  afterAll(async () => {
    await dropTestDatabase(url);
    rmSync(home, { recursive: true, force: true });
  });

  it('runs the tutorial to success and records the run and its three task instances', async () => {
    const result = await runCli(['dags', 'test', 'tutorial', '2015-06-01'], env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('print_date');
    expect(result.stdout).toMatch(/finished: success/);

    const log = readFileSync(join(home, 'logs', 'dag_id=tutorial', `run_id=${encodeURIComponent(RUN_ID)}`, 'task_id=templated', 'attempt=1.log'), 'utf8');
    // The bash output lines (not the rendered command, whose lines contain `echo`), in order.
    const echoed = log
      .split('\n')
      .filter((line) => !line.includes('echo'))
      .map((line) => /(2015-06-01|2015-06-08|Parameter I passed in)$/.exec(line.trim())?.[1])
      .filter((value) => value !== undefined);
    expect(echoed).toEqual(Array.from({ length: 5 }, () => ['2015-06-01', '2015-06-08', 'Parameter I passed in']).flat());

    const store = await openStore({ url, secretKey: readFileSync(join(home, 'secret.key'), 'utf8').trim() });
    try {
      const run = await getDagRun(store.db, { dagId: 'tutorial', runId: RUN_ID });
      expect(run?.state).toBe('success');
      const instances = await listTaskInstances(store.db, { dagId: 'tutorial', runId: RUN_ID });
      expect(instances.map((ti) => [ti.taskId, ti.state]).sort()).toEqual([
        ['print_date', 'success'],
        ['sleep', 'success'],
        ['templated', 'success'],
      ]);
    } finally {
      await store.close();
    }
  });

  it('renders the templated command with `tasks render`', async () => {
    const result = await runCli(['tasks', 'render', 'tutorial', 'templated', '2015-06-01'], env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout.match(/echo "2015-06-01"/g)).toHaveLength(5);
    expect(result.stdout.match(/echo "2015-06-08"/g)).toHaveLength(5);
    expect(result.stdout.match(/echo "Parameter I passed in"/g)).toHaveLength(5);
  });
});
