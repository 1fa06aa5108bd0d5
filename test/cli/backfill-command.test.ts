import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { listDagRuns, openStore, type DagRun, type Store } from '../../src/store/index.ts';
import { dropTestDatabase, testDatabaseUrl } from '../support/databases.ts';
import { CLI, REPO_ROOT, runCli, type CliResult } from '../support/run-cli.ts';

const SECRET_KEY = 'backfill-command-test-secret-key';

/**
 * Daily DAGs whose end date lies in the past: without catchup the scheduler creates no run of its
 * own, so every run in the store comes from the backfill.
 */
const DAG_FILES = {
  'ok.ts': `import { BashOperator, dag } from 'updraft';
export default dag({ dagId: 'bf_ok', schedule: '@daily', startDate: '2024-01-01', endDate: '2024-01-31' }, () => {
  new BashOperator({ taskId: 'say', bashCommand: 'echo {{ ds }}' });
});
`,
  // Fails on one date only, so one backfill has successes and a failure.
  'mixed.ts': `import { BashOperator, dag } from 'updraft';
export default dag({ dagId: 'bf_mixed', schedule: '@daily', startDate: '2024-01-01', endDate: '2024-01-31' }, () => {
  new BashOperator({ taskId: 'check', bashCommand: '[ "{{ ds }}" != "2024-01-03" ]' });
});
`,
};

/** `updraft backfill create` as a user runs it, on SQLite, with a real scheduler for the waiting mode. */
describe('updraft backfill create', () => {
  let home: string;
  let url: string;
  let env: NodeJS.ProcessEnv;
  let store: Store | undefined;
  let scheduler: ChildProcess | undefined;
  const cli = (...args: string[]): Promise<CliResult> => runCli(args, env);

  beforeEach(async () => {
    home = mkdtempSync(join(tmpdir(), 'updraft-backfill-'));
    url = await testDatabaseUrl('sqlite');
    const dags = join(home, 'dags');
    mkdirSync(dags);
    for (const [file, source] of Object.entries(DAG_FILES)) writeFileSync(join(dags, file), source);
    env = {
      UPDRAFT_HOME: home,
      UPDRAFT__DATABASE__URL: url,
      UPDRAFT__CORE__DAGS_FOLDER: dags,
      UPDRAFT__CORE__LOAD_EXAMPLES: 'false',
      UPDRAFT__CORE__SECRET_KEY: SECRET_KEY,
      UPDRAFT__CORE__PARALLELISM: '2',
      UPDRAFT__SCHEDULER__POLL_INTERVAL_SECONDS: '1',
    };
    expect(await cli('dags', 'reserialize')).toMatchObject({ code: 0, stderr: '' });
  });

  afterEach(async () => {
    if (scheduler !== undefined) await stopScheduler(scheduler);
    scheduler = undefined;
    await store?.close();
    store = undefined;
    await dropTestDatabase(url);
    rmSync(home, { recursive: true, force: true });
  });

  async function runsOf(dagId: string): Promise<DagRun[]> {
    store ??= await openStore({ url, secretKey: SECRET_KEY });
    const { runs } = await listDagRuns(store.db, { dagId, limit: 100, offset: 0 });
    return runs.sort((a, b) => a.logicalDate! - b.logicalDate!);
  }

  const lines = (text: string): string[] => text.trimEnd().split('\n');

  it('creates the runs with --no-wait, and skips them when run again with --reprocess none', async () => {
    const created = await cli('backfill', 'create', '--dag', 'bf_ok', '--from', '2024-01-02', '--to', '2024-01-04', '--conf', '{"source":"cli"}', '--no-wait');
    expect(created).toEqual({ code: 0, stdout: 'Created 3 run(s), reprocess 0, skip 0 existing.\n', stderr: '' });
    const ids = ['2024-01-02', '2024-01-03', '2024-01-04'].map((day) => `backfill__${day}T00:00:00.000Z`);
    // Queued for the scheduler (none is running here), with the conf given.
    expect((await runsOf('bf_ok')).map((run) => [run.runId, run.runType, run.state, new Date(run.logicalDate!).toISOString().slice(0, 10), run.conf])).toEqual([
      [ids[0], 'backfill', 'queued', '2024-01-02', { source: 'cli' }],
      [ids[1], 'backfill', 'queued', '2024-01-03', { source: 'cli' }],
      [ids[2], 'backfill', 'queued', '2024-01-04', { source: 'cli' }],
    ]);

    const again = await cli('backfill', 'create', '--dag', 'bf_ok', '--from', '2024-01-02', '--to', '2024-01-04', '--reprocess', 'none', '--no-wait');
    expect(again).toEqual({ code: 0, stdout: 'Created 0 run(s), reprocess 0, skip 3 existing.\n', stderr: '' });
    expect((await runsOf('bf_ok')).map((run) => run.runId)).toEqual(ids);
  });

  it('with --dry-run prints the plan, creates nothing and does not wait', async () => {
    // No --no-wait: a dry run must return at once rather than follow runs that do not exist.
    const result = await cli('backfill', 'create', '--dag', 'bf_ok', '--from', '2024-01-02', '--to', '2024-01-05', '--dry-run');
    expect(result).toEqual({ code: 0, stdout: 'Would create 4 run(s), reprocess 0, skip 0 existing.\n', stderr: '' });
    expect(await runsOf('bf_ok')).toEqual([]);
  });

  it('waits for the scheduler to finish every run and reports them all successful', async () => {
    expect((await cli('dags', 'unpause', 'bf_ok')).code).toBe(0);
    const running = startScheduler(env);
    scheduler = running;
    // Once the scheduler has registered its job, the backfill must not claim that none is running.
    await vi.waitFor(() => expect(running.output).toContain('scheduler started'), { timeout: 20_000 });

    const result = await untilSchedulerDies(running, cli('backfill', 'create', '--dag', 'bf_ok', '--from', '2024-01-02', '--to', '2024-01-04'));

    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    expect(result.stdout).not.toContain('no scheduler is running');
    const out = lines(result.stdout);
    expect(out[0]).toBe('Created 3 run(s), reprocess 0, skip 0 existing.');
    // The progress bar's last line (not a TTY: one line per change), then the summary.
    expect(out.slice(-2)).toEqual([`backfill bf_ok [${'█'.repeat(30)}] 3/3  0 running`, 'Backfill finished: 3 success.']);
    expect((await runsOf('bf_ok')).map((run) => [run.runId, run.state])).toEqual([
      ['backfill__2024-01-02T00:00:00.000Z', 'success'],
      ['backfill__2024-01-03T00:00:00.000Z', 'success'],
      ['backfill__2024-01-04T00:00:00.000Z', 'success'],
    ]);
  }, 90_000);

  it('exits 1 and counts the failed runs when a run fails, also when they are reprocessed', async () => {
    expect((await cli('dags', 'unpause', 'bf_mixed')).code).toBe(0);
    scheduler = startScheduler(env);

    const first = await untilSchedulerDies(scheduler, cli('backfill', 'create', '--dag', 'bf_mixed', '--from', '2024-01-02', '--to', '2024-01-04'));

    expect({ code: first.code, stderr: first.stderr }).toEqual({ code: 1, stderr: '' });
    expect(lines(first.stdout)[0]).toBe('Created 3 run(s), reprocess 0, skip 0 existing.');
    expect(summaryCounts(first.stdout)).toEqual(['1 failed', '2 success']);
    const states = async () => (await runsOf('bf_mixed')).map((run) => [new Date(run.logicalDate!).toISOString().slice(0, 10), run.state, run.clearNumber]);
    expect(await states()).toEqual([
      ['2024-01-02', 'success', 0],
      ['2024-01-03', 'failed', 0],
      ['2024-01-04', 'success', 0],
    ]);

    // Reprocessing the failed date follows only that run, which fails again.
    const again = await untilSchedulerDies(scheduler, cli('backfill', 'create', '--dag', 'bf_mixed', '--from', '2024-01-02', '--to', '2024-01-04', '--reprocess', 'failed'));

    expect({ code: again.code, stderr: again.stderr }).toEqual({ code: 1, stderr: '' });
    expect(lines(again.stdout)[0]).toBe('Created 0 run(s), reprocess 1, skip 2 existing.');
    expect(summaryCounts(again.stdout)).toEqual(['1 failed']);
    expect(await states()).toEqual([
      ['2024-01-02', 'success', 0],
      ['2024-01-03', 'failed', 1],
      ['2024-01-04', 'success', 0],
    ]);
  }, 120_000);

  it('rejects an unknown --reprocess with exit code 2 and a one-line INVALID_ARGUMENT error', async () => {
    const result = await cli('backfill', 'create', '--dag', 'bf_ok', '--from', '2024-01-02', '--to', '2024-01-04', '--reprocess', 'sometimes', '--no-wait');
    expect(result).toEqual({ code: 2, stdout: '', stderr: 'error INVALID_ARGUMENT: Unknown reprocess behaviour "sometimes"\n  hint: Use one of none, failed, all\n' });
    expect(await runsOf('bf_ok')).toEqual([]);
  });

  it('rejects --to before --from (exit 2), a date that is not one (exit 2) and an unknown DAG (exit 3)', async () => {
    const backwards = await cli('backfill', 'create', '--dag', 'bf_ok', '--from', '2024-01-04', '--to', '2024-01-02', '--no-wait');
    expect(backwards).toEqual({ code: 2, stdout: '', stderr: 'error INVALID_ARGUMENT: The backfill ends before it starts\n  hint: Give --from before --to\n' });

    const notADate = await cli('backfill', 'create', '--dag', 'bf_ok', '--from', 'last tuesday', '--to', '2024-01-02', '--no-wait');
    expect(notADate).toEqual({
      code: 2,
      stdout: '',
      stderr: 'error INVALID_ARGUMENT: "last tuesday" is not a date\n  hint: Give an ISO date (2015-06-01) or timestamp (2015-06-01T06:00:00+02:00)\n',
    });

    const unknown = await cli('backfill', 'create', '--dag', 'nope', '--from', '2024-01-02', '--to', '2024-01-04', '--no-wait');
    expect(unknown).toEqual({ code: 3, stdout: '', stderr: 'error DAG_NOT_FOUND: No DAG "nope"\n  hint: List DAGs with `updraft dags list`\n' });
    expect(await runsOf('bf_ok')).toEqual([]);
  });
});

/** The states counted on the "Backfill finished: ..." line, which must be the last; sorted, since their order follows the store's. */
function summaryCounts(stdout: string): string[] {
  const last = stdout.trimEnd().split('\n').at(-1) ?? '';
  const match = /^Backfill finished: (.+)\.$/.exec(last);
  if (match === null) throw new Error(`no summary line at the end of:\n${stdout}`);
  return match[1]!.split(', ').sort();
}

interface SchedulerProcess extends ChildProcess {
  output: string;
}

/** `updraft scheduler` as its own process; its output is kept for the failure message of untilSchedulerDies. */
function startScheduler(env: NodeJS.ProcessEnv): SchedulerProcess {
  const child = spawn(process.execPath, [CLI, 'scheduler'], { cwd: REPO_ROOT, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env } }) as SchedulerProcess;
  child.output = '';
  child.stdout!.on('data', (chunk: Buffer) => (child.output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (child.output += chunk.toString()));
  return child;
}

/** The backfill's result, or a failure at once if the scheduler it waits for exits first (rather than the test timing out). */
async function untilSchedulerDies<T>(scheduler: ChildProcess, work: Promise<T>): Promise<T> {
  if (scheduler.exitCode !== null || scheduler.signalCode !== null) throw new Error(`the scheduler is not running:\n${(scheduler as SchedulerProcess).output}`);
  let onExit: (() => void) | undefined;
  const died = new Promise<never>((_, reject) => {
    onExit = () => reject(new Error(`the scheduler exited (${scheduler.exitCode ?? scheduler.signalCode}) during the backfill:\n${(scheduler as SchedulerProcess).output}`));
    scheduler.once('exit', onExit);
  });
  try {
    return await Promise.race([work, died]);
  } finally {
    scheduler.off('exit', onExit!);
  }
}

/** SIGTERM (a graceful stop), then SIGKILL if it has not exited within 10 s; always by the child's own PID. */
async function stopScheduler(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}
