import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listAliveJobs, listDagRuns, openStore } from '../../src/store/index.ts';
import { dropTestDatabase, testDatabaseUrl } from '../support/databases.ts';
import { CLI, REPO_ROOT, runCli } from '../support/run-cli.ts';
import { dagFile } from './support/harness.ts';

/** `updraft scheduler` as a user runs it, on SQLite. */
describe('updraft scheduler', () => {
  let home: string;
  let url: string;
  let env: NodeJS.ProcessEnv;

  beforeEach(async () => {
    home = mkdtempSync(join(tmpdir(), 'updraft-scheduler-cli-'));
    url = await testDatabaseUrl('sqlite');
    // DAG files must sit inside the repository for `import 'updraft'` to resolve: copy into a fixture-side folder.
    const dags = join(REPO_ROOT, 'test', 'fixtures', 'dags-scheduler', '.cli', home.split('/').pop()!);
    mkdirSync(dags, { recursive: true });
    cpSync(dagFile('retries.ts'), join(dags, 'retries.ts'));
    env = {
      UPDRAFT_HOME: home,
      UPDRAFT__DATABASE__URL: url,
      UPDRAFT__CORE__DAGS_FOLDER: dags,
      UPDRAFT__CORE__LOAD_EXAMPLES: 'false',
      UPDRAFT__CORE__DAGS_ARE_PAUSED_AT_CREATION: 'false',
      UPDRAFT__CORE__PARALLELISM: '2',
      UPDRAFT__SCHEDULER__POLL_INTERVAL_SECONDS: '1',
    };
  });

  afterEach(async () => {
    rmSync(env.UPDRAFT__CORE__DAGS_FOLDER!, { recursive: true, force: true });
    await dropTestDatabase(url);
    rmSync(home, { recursive: true, force: true });
  });

  it('runs a triggered DAG to the end with --exit-when-idle', async () => {
    expect((await runCli(['dags', 'reserialize'], env)).code).toBe(0);
    expect((await runCli(['dags', 'trigger', 'sched_retries', '--run-id', 'manual__cli'], env)).code).toBe(0);
    const result = await runCli(['scheduler', '--exit-when-idle', '--num-runs', '500'], env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/started run sched_retries\/manual__cli/);
    expect(result.stdout).toMatch(/run sched_retries\/manual__cli finished: success/);
    const store = await openStore({ url, secretKey: 'x'.repeat(44) });
    try {
      expect((await listDagRuns(store.db, { dagId: 'sched_retries', limit: 5, offset: 0 })).runs.map((run) => run.state)).toEqual(['success']);
    } finally {
      await store.close();
    }
  });

  it('starts a run that `dags trigger` created from another process at once, not at its next poll', async () => {
    expect((await runCli(['dags', 'reserialize'], env)).code).toBe(0);
    // Nothing brings the loop round by time alone for 60 s: only the CLI's wake-up can explain a prompt start.
    const slow = { ...env, UPDRAFT__SCHEDULER__POLL_INTERVAL_SECONDS: '60', UPDRAFT__SCHEDULER__JOB_HEARTBEAT_SECONDS: '60', UPDRAFT__SCHEDULER__LIVENESS_CHECK_INTERVAL_SECONDS: '60' };
    const child = spawn(process.execPath, [CLI, 'scheduler'], { cwd: REPO_ROOT, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...slow } });
    let stdout = '';
    const seen = (text: string) =>
      new Promise<number>((resolve) => {
        const check = (): void => {
          if (!stdout.includes(text)) return;
          child.stdout.off('data', check);
          resolve(Date.now());
        };
        child.stdout.on('data', check);
        check();
      });
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
    try {
      await seen('scheduler started');
      const started = seen('started run sched_retries/manual__woken');
      expect((await runCli(['dags', 'trigger', 'sched_retries', '--run-id', 'manual__woken'], env)).code).toBe(0);
      const triggered = Date.now();
      expect((await started) - triggered).toBeLessThan(5_000);
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  });

  it('shuts down gracefully on SIGTERM and ends its job row', async () => {
    expect((await runCli(['db', 'migrate'], env)).code).toBe(0);
    const child = spawn(process.execPath, [CLI, 'scheduler'], { cwd: REPO_ROOT, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env } });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const started = new Promise<void>((resolve) =>
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes('scheduler started')) resolve();
      }),
    );
    const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
    await started;
    child.kill('SIGTERM');
    expect({ code: await exited, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toContain('scheduler stopped');
    const store = await openStore({ url, secretKey: 'x'.repeat(44) });
    try {
      expect(await listAliveJobs(store.db, { since: 0, jobType: 'SchedulerJob' })).toEqual([]);
    } finally {
      await store.close();
    }
  });
});
