import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listDags, listImportErrors, openStore } from '../../src/store/index.ts';
import { runCli } from '../support/run-cli.ts';
import { REPO_ROOT } from '../support/run-cli.ts';

// DAG files must resolve `updraft`, so the fixtures live in a folder inside the repository.
const BROKEN = {
  'cycle.ts': `import { EmptyOperator, dag } from 'updraft';
export default dag({ dagId: 'has_cycle', schedule: null }, () => {
  const a = new EmptyOperator({ taskId: 'a' });
  const b = new EmptyOperator({ taskId: 'b' });
  a.then(b);
  b.then(a);
});`,
  'duplicate.ts': `import { EmptyOperator, dag } from 'updraft';
export default dag({ dagId: 'has_duplicates', schedule: null }, () => {
  new EmptyOperator({ taskId: 'same' });
  new EmptyOperator({ taskId: 'same' });
});`,
  'bad-cron.ts': `import { EmptyOperator, dag } from 'updraft';
export default dag({ dagId: 'bad_cron', schedule: '61 * * * *', startDate: '2024-01-01' }, () => {
  new EmptyOperator({ taskId: 'a' });
});`,
};
const EXPECTED_CODE = { 'cycle.ts': 'DAG_CYCLE', 'duplicate.ts': 'DAG_DUPLICATE_TASK_ID', 'bad-cron.ts': 'DAG_INVALID_SCHEDULE' } as const;

describe('broken DAG files', () => {
  let home: string;
  let dags: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(() => {
    home = mkdtempSync(join(tmpdir(), 'updraft-broken-'));
    dags = mkdtempSync(join(REPO_ROOT, 'test', 'fixtures', '.broken-'));
    mkdirSync(dags, { recursive: true });
    for (const [name, source] of Object.entries(BROKEN)) writeFileSync(join(dags, name), source);
    env = { UPDRAFT_HOME: home, UPDRAFT__CORE__DAGS_FOLDER: dags, UPDRAFT__CORE__LOAD_EXAMPLES: 'false' };
  });

  afterAll(() => {
    rmSync(home, { recursive: true, force: true });
    rmSync(dags, { recursive: true, force: true });
  });

  it.each(Object.keys(BROKEN) as (keyof typeof BROKEN)[])('%s gives one coded line naming the file and writes no DAG', async (name) => {
    const result = await runCli(['dags', 'test', 'ignored', '--file', join(dags, name)], env);
    expect(result.code).not.toBe(0);
    const [first, ...rest] = result.stderr.trimEnd().split('\n');
    expect(first).toMatch(new RegExp(`^error ${EXPECTED_CODE[name]}: .*${name.replace('.', '\\.')}`));
    expect(rest.every((line) => line.startsWith('  hint: '))).toBe(true);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace without --verbose
  });

  it('lists the three import errors and no DAGs', async () => {
    const result = await runCli(['dags', 'reserialize'], env);
    expect(result.stdout).toContain('3 import error(s)');
    const errors = await runCli(['dags', 'list-import-errors', '--json'], env);
    const rows = JSON.parse(errors.stdout) as { filename: string; code: string }[];
    expect(rows.map((row) => [row.filename.split('/').pop(), row.code]).sort()).toEqual(Object.entries(EXPECTED_CODE).sort());

    const { readFileSync } = await import('node:fs');
    const store = await openStore({ url: `sqlite://${join(home, 'updraft.db')}`, secretKey: readFileSync(join(home, 'secret.key'), 'utf8').trim() });
    try {
      expect((await listDags(store.db, { limit: 100, offset: 0 })).dags).toEqual([]);
      expect(await listImportErrors(store.db)).toHaveLength(3);
    } finally {
      await store.close();
    }
  });
});
