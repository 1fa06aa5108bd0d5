import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DAG_PROCESSOR_JOB_TYPE } from '../../src/dag-processor/index.ts';
import { openStore } from '../../src/store/index.ts';
import { CLI, REPO_ROOT, runCli } from '../support/run-cli.ts';
import { dagSource, eventually } from './processor-harness.ts';

describe('updraft dag-processor', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    for (const cleanup of cleanups.splice(0)) cleanup();
  });

  it('keeps `dags list` and `dags list-import-errors` in step with the folder and stops cleanly on SIGTERM', async () => {
    const home = mkdtempSync(join(tmpdir(), 'updraft-processor-cli-'));
    mkdirSync(join(REPO_ROOT, '.updraft-test'), { recursive: true });
    const dags = mkdtempSync(join(REPO_ROOT, '.updraft-test', 'cli-dags-'));
    cleanups.push(() => rmSync(home, { recursive: true, force: true }), () => rmSync(dags, { recursive: true, force: true }));
    const env = { PATH: process.env.PATH, HOME: process.env.HOME, UPDRAFT_HOME: home, UPDRAFT__CORE__DAGS_FOLDER: dags, UPDRAFT__CORE__LOAD_EXAMPLES: 'false' };

    const daemon = spawn(process.execPath, [CLI, 'dag-processor'], { cwd: REPO_ROOT, env });
    let output = '';
    daemon.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    daemon.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => daemon.once('exit', (code) => resolve(code)));
    cleanups.push(() => daemon.kill('SIGKILL'));
    await eventually(async () => output.includes('initial parse done'), 'the processor to start');

    writeFileSync(join(dags, 'hello.ts'), dagSource('hello_cli'));
    await eventually(async () => (await runCli(['dags', 'list', '--json'], env)).stdout.includes('"hello_cli"'), 'the DAG in `dags list`');

    writeFileSync(join(dags, 'broken.ts'), 'this is not ( valid');
    await eventually(async () => (await runCli(['dags', 'list-import-errors', '--json'], env)).stdout.includes('broken.ts'), 'the import error');
    writeFileSync(join(dags, 'broken.ts'), dagSource('fixed_cli'));
    await eventually(async () => !(await runCli(['dags', 'list-import-errors', '--json'], env)).stdout.includes('broken.ts'), 'the import error to vanish');

    daemon.kill('SIGTERM');
    expect(await exited).toBe(0);
    const store = await openStore({ url: `sqlite://${join(home, 'updraft.db')}`, secretKey: readFileSync(join(home, 'secret.key'), 'utf8').trim() });
    try {
      const jobs = await store.db.selectFrom('job').select(['job_type', 'state']).execute();
      expect(jobs).toEqual([{ job_type: DAG_PROCESSOR_JOB_TYPE, state: 'success' }]);
    } finally {
      await store.close();
    }
  });
});
