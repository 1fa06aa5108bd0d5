import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.ts';

/** A user's DAG folder lives anywhere; `import 'updraft'` must still resolve to this SDK. */
describe('a DAG folder outside the Updraft package', () => {
  let home: string;

  beforeAll(() => {
    home = mkdtempSync(join(tmpdir(), 'updraft-outside-'));
    mkdirSync(join(home, 'dags'));
    writeFileSync(
      join(home, 'dags', 'hello.ts'),
      `import { BashOperator, dag, task } from 'updraft';
const extract = task('extract', () => [3, 1, 2]);
const total = task('total', (values: number[]) => values.reduce((a, b) => a + b, 0));
export default dag({ dagId: 'hello', schedule: '@daily', startDate: '2024-01-01' }, () => {
  total(extract()).then(new BashOperator({ taskId: 'report', bashCommand: 'echo "report for {{ ds }}"' }));
});
`,
    );
  });
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it('parses and runs it from another working directory', async () => {
    const env = { UPDRAFT_HOME: home, UPDRAFT__CORE__DAGS_FOLDER: join(home, 'dags'), UPDRAFT__CORE__LOAD_EXAMPLES: 'false' };
    const result = await runCli(['dags', 'test', 'hello', '2024-06-01', '--show-logs'], env, home);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('report for 2024-06-01');
  });
});
