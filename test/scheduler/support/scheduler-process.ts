import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, REPO_ROOT } from '../../support/run-cli.ts';

/**
 * A DAG whose tasks record every execution themselves (run id, task id, try number) in a file, so a
 * test counts what actually ran, not what the store says. Each task sleeps `sleepMs` to widen the
 * window in which a process can be killed mid-run.
 */
export function countingDagSource(dagId: string, tasks: number, sleepMs: number): string {
  return `import { appendFileSync } from 'node:fs';
import { dag, getCurrentContext, task } from 'updraft';

const LOG = process.env.UPDRAFT_TEST_EXECUTIONS as string;
const pause = new Int32Array(new SharedArrayBuffer(4));

export default dag({ dagId: '${dagId}', schedule: null, maxActiveTasks: ${tasks}, maxActiveRuns: 100 }, () => {
  for (let i = 0; i < ${tasks}; i++) {
    task({ taskId: 't_' + String(i).padStart(3, '0'), retries: 3, retryDelay: 0 }, (): void => {
      const { ti } = getCurrentContext();
      appendFileSync(LOG, ti.runId + ' ' + ti.taskId + ' ' + ti.tryNumber + '\\n');
      Atomics.wait(pause, 0, 0, ${sleepMs});
    })();
  }
});
`;
}

export interface CountingSetup {
  home: string;
  dags: string;
  executions: string;
  env: NodeJS.ProcessEnv;
}

/** A home with a DAG folder holding `source` and an empty executions file. */
export function countingSetup(databaseUrl: string, file: string, source: string, extraEnv: NodeJS.ProcessEnv = {}): CountingSetup {
  const home = mkdtempSync(join(tmpdir(), 'updraft-crash-'));
  const dags = join(home, 'dags');
  mkdirSync(dags);
  writeFileSync(join(dags, file), source);
  const executions = join(home, 'executions.log');
  writeFileSync(executions, '');
  const env = {
    UPDRAFT_HOME: home,
    UPDRAFT__DATABASE__URL: databaseUrl,
    UPDRAFT__CORE__DAGS_FOLDER: dags,
    UPDRAFT__CORE__LOAD_EXAMPLES: 'false',
    UPDRAFT__CORE__DAGS_ARE_PAUSED_AT_CREATION: 'false',
    UPDRAFT__CORE__SECRET_KEY: 'crash-test-secret-key',
    UPDRAFT__CORE__PARALLELISM: '8',
    UPDRAFT__SCHEDULER__POLL_INTERVAL_SECONDS: '1',
    UPDRAFT__SCHEDULER__TASK_HEARTBEAT_TIMEOUT: '4',
    UPDRAFT__SCHEDULER__JOB_HEARTBEAT_SECONDS: '1',
    UPDRAFT__SCHEDULER__JOB_TIMEOUT_SECONDS: '3',
    UPDRAFT__SCHEDULER__LIVENESS_CHECK_INTERVAL_SECONDS: '1',
    UPDRAFT_TEST_EXECUTIONS: executions,
    ...extraEnv,
  };
  return { home, dags, executions, env };
}

/** `updraft scheduler` as its own process (its own process group, so a kill -9 takes only it). */
export function spawnScheduler(env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, [CLI, 'scheduler'], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
}

/** The executions the tasks recorded: one `run task try` line each. */
export function readExecutions(file: string): string[] {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter((line) => line !== '') : [];
}

export async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

export function stopProcess(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}
