import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { JsonValue } from '../../src/contracts/json.ts';
import type { TaskOutcome } from '../../src/contracts/task-execution-api.ts';
import type { TaskRunContextData, TaskTryKey } from '../../src/contracts/task-instance.ts';
import type { SupervisorToTask, TaskToSupervisor } from '../../src/contracts/task-ipc.ts';
import type { TaskWorkload } from '../../src/contracts/workload.ts';

const ENTRY = fileURLToPath(new URL('../../src/worker/task-process/main.ts', import.meta.url));
const DAG_FILE = fileURLToPath(new URL('../fixtures/dags/runtime.ts', import.meta.url));
const MARKER = '\u0000UPDRAFT-END ';
const RUN_ID = 'manual__2015-06-01T00:00:00+00:00';

interface TryResult {
  outcome: TaskOutcome;
  stdout: string;
  stderr: string;
}

/**
 * Plays the supervisor's side of src/contracts/task-ipc.ts, answering API requests from maps. Like
 * the real supervisor, it keeps the fields of `rendered` messages and stores a success's return value.
 */
class FakeSupervisor {
  readonly child: ChildProcess;
  readonly variables = new Map<string, string>([['greeting', 'bonjour']]);
  readonly xcoms = new Map<string, JsonValue>();
  readonly requests: { method: string; args: unknown[] }[] = [];
  readonly rendered: Record<string, JsonValue>[] = [];
  readonly ready: Promise<number>;
  private stdout = '';
  private stderr = '';
  private onDone: ((outcome: TaskOutcome) => void) | null = null;

  constructor() {
    this.child = fork(ENTRY, [], { execPath: process.execPath, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    this.child.stdout!.on('data', (chunk: Buffer) => (this.stdout += chunk.toString()));
    this.child.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.ready = new Promise((resolve) => {
      this.child.on('message', (message: TaskToSupervisor) => {
        if (message.type === 'ready') resolve(message.pid);
        if (message.type === 'done') this.onDone?.(message.outcome);
        if (message.type === 'api_request') this.answer(message.id, message.method, message.args);
        if (message.type === 'rendered') this.rendered.push(message.fields);
      });
    });
  }

  private answer(id: number, method: string, args: unknown[]): void {
    this.requests.push({ method, args });
    const reply = (message: SupervisorToTask) => this.child.send(message);
    try {
      reply({ type: 'api_response', id, ok: true, value: this.call(method, args) });
    } catch (error) {
      reply({ type: 'api_response', id, ok: false, error: { code: 'INTERNAL', message: (error as Error).message } });
    }
  }

  private call(method: string, args: unknown[]): unknown {
    switch (method) {
      case 'getVariable':
        return this.variables.get(args[0] as string) ?? null;
      case 'getConnection':
        return null;
      case 'pushXCom': {
        const [key, xcomKey, value] = args as [TaskTryKey, string, JsonValue];
        this.xcoms.set(`${key.taskId}:${xcomKey}`, value);
        return null;
      }
      case 'pullXCom': {
        const [query] = args as [{ taskId: string; key: string }];
        return this.xcoms.get(`${query.taskId}:${query.key}`) ?? null;
      }
      case 'skipTasks':
        return null;
      default:
        throw new Error(`unexpected method ${method}`);
    }
  }

  calls(method: string): unknown[][] {
    return this.requests.filter((r) => r.method === method).map((r) => r.args);
  }

  /** Sends `run` and resolves with the outcome and the try's output (up to its end markers). */
  async run(taskId: string, options: { tryNumber?: number; retries?: number; mode?: TaskWorkload['mode'] } = {}): Promise<TryResult> {
    await this.ready;
    const from = { stdout: this.stdout.length, stderr: this.stderr.length };
    const key: TaskTryKey = { dagId: 'runtime', runId: RUN_ID, taskId, mapIndex: -1, tryNumber: options.tryNumber ?? 1 };
    const retries = options.retries ?? 0;
    const workload: TaskWorkload = {
      kind: 'execute_task',
      key,
      dagFile: DAG_FILE,
      dagVersionHash: 'v1',
      logPath: 'log',
      isolation: 'pool',
      executionTimeoutSeconds: null,
      queue: 'default',
      priorityWeight: 1,
      retries,
      retryDelaySeconds: 600,
      retryExponentialBackoff: false,
      maxRetryDelaySeconds: null,
      mode: options.mode,
    };
    const done = new Promise<TaskOutcome>((resolve) => (this.onDone = resolve));
    this.child.send({ type: 'run', workload, context: runContext(key, retries), logFile: '/dev/null' } satisfies SupervisorToTask);
    const outcome = await done;
    if (outcome.state === 'success' && outcome.returnValue !== undefined) this.xcoms.set(`${taskId}:return_value`, outcome.returnValue);
    await this.waitFor(() => this.stdout.indexOf(MARKER, from.stdout) >= 0 && this.stderr.indexOf(MARKER, from.stderr) >= 0);
    return {
      outcome,
      stdout: this.stdout.slice(from.stdout, this.stdout.indexOf(MARKER, from.stdout)),
      stderr: this.stderr.slice(from.stderr, this.stderr.indexOf(MARKER, from.stderr)),
    };
  }

  private async waitFor(condition: () => boolean): Promise<void> {
    while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
  }

  stop(): void {
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}

function runContext(key: TaskTryKey, retries: number): TaskRunContextData {
  return {
    dagRun: {
      dagId: key.dagId,
      runId: key.runId,
      runType: 'manual',
      state: 'running',
      logicalDate: '2015-06-01T00:00:00.000Z',
      dataIntervalStart: '2015-06-01T00:00:00.000Z',
      dataIntervalEnd: '2015-06-01T00:00:00.000Z',
      runAfter: '2015-06-01T00:00:00.000Z',
      startDate: '2015-06-01T00:00:01.000Z',
      conf: {},
    },
    ti: { ...key, maxTries: retries, state: 'running', hostname: 'test-host', pid: null, pool: 'default_pool', queue: 'default', priorityWeight: 1, startDate: null },
    previous: { prevDataIntervalStartSuccess: null, prevDataIntervalEndSuccess: null, prevStartDateSuccess: null, prevEndDateSuccess: null },
    params: { who: 'world' },
    xcomMaxBytes: 64 * 1024,
  };
}

let supervisor: FakeSupervisor;
afterEach(() => supervisor?.stop());
const start = (): FakeSupervisor => (supervisor = new FakeSupervisor());

describe('task process', () => {
  it('says ready with its pid', async () => {
    const s = start();
    expect(await s.ready).toBe(s.child.pid);
  });

  it('runs a BashOperator: renders, streams output, reports success with the last line as return value', async () => {
    const s = start();
    const result = await s.run('hello');
    expect(result.outcome).toEqual({ state: 'success', returnValue: 'last-line' });
    expect(result.stdout).toContain('hello world on 2015-06-01\n');
    expect(result.stdout).toContain('Rendered bash_command: echo "hello world on 2015-06-01"');
    expect(result.stdout).toContain('Task exited with return code 0');
    expect(result.stderr).toContain('warning\n');
    // Neither the rendered fields nor the return value cost a round trip: no request for them.
    expect(s.rendered).toEqual([expect.objectContaining({ bashCommand: 'echo "hello world on 2015-06-01"; echo "warning" >&2; echo last-line' })]);
    expect(s.requests).toEqual([]);
  });

  it('in render mode sends the rendered fields and reports success without executing', async () => {
    const s = start();
    const result = await s.run('hello', { mode: 'render' });
    expect(result.outcome).toEqual({ state: 'success' });
    expect(result.stdout).not.toContain('hello world on 2015-06-01\n');
    expect(s.rendered).toEqual([expect.objectContaining({ bashCommand: 'echo "hello world on 2015-06-01"; echo "warning" >&2; echo last-line' })]);
  });

  it('passes values along a TaskFlow chain through XCom', async () => {
    const s = start();
    expect((await s.run('extract')).outcome).toEqual({ state: 'success', returnValue: { orders: [3, 4, 5] } });
    const total = await s.run('total');
    expect(total.outcome).toEqual({ state: 'success', returnValue: 120 });
    expect(total.stdout).toContain('total for 2015-06-01 in total');
    expect(s.calls('pullXCom')).toContainEqual([expect.objectContaining({ taskId: 'extract', key: 'return_value' })]);
  });

  it('a failure with retries left is up_for_retry at the retry delay', async () => {
    const s = start();
    const before = Date.now();
    const result = await s.run('fails_with_retries', { tryNumber: 1, retries: 2 });
    expect(result.outcome).toMatchObject({ state: 'up_for_retry', error: { code: 'TASK_FAILED', message: expect.stringContaining('exit code 3') } });
    const retryAt = Date.parse((result.outcome as { nextRetryAt: string }).nextRetryAt);
    expect(retryAt).toBeGreaterThanOrEqual(before + 600_000);
    expect(result.stderr).toContain('Task failed with exception');
  });

  it('the last try fails for good and runs the failure callback, not the retry callback', async () => {
    const s = start();
    const result = await s.run('fails_for_good', { tryNumber: 1, retries: 0 });
    expect(result.outcome).toMatchObject({ state: 'failed', error: { code: 'TASK_FAILED' } });
    expect(result.stdout).toContain('failure callback ran');
    expect(result.stdout).not.toContain('retry callback must not run');
    expect(result.stdout).toContain('Task exited with return code 1');
  });

  it('exit code 99 and SkipError end the task as skipped', async () => {
    const s = start();
    expect((await s.run('exit_99')).outcome).toMatchObject({ state: 'skipped' });
    expect((await s.run('skip_me')).outcome).toEqual({ state: 'skipped', reason: 'nothing to do today' });
  });

  it('a branch skips the direct downstream tasks it did not choose', async () => {
    const s = start();
    expect((await s.run('choose')).outcome).toEqual({ state: 'success', returnValue: 'left' });
    expect(s.calls('skipTasks')).toEqual([[{ dagId: 'runtime', runId: RUN_ID }, ['other', 'right']]]);
  });

  it('renders var.value from the supervisor and template files from the DAG folder', async () => {
    const s = start();
    expect((await s.run('uses_variable')).stdout).toContain('greeting=bonjour');
    expect(s.calls('getVariable')).toEqual([['greeting']]);
    expect((await s.run('from_script')).stdout).toContain('hello from a script on 2015-06-01');
  });

  it('a missing variable fails the try with VARIABLE_NOT_FOUND', async () => {
    const s = start();
    s.variables.clear();
    expect((await s.run('uses_variable')).outcome).toMatchObject({ state: 'failed', error: { code: 'VARIABLE_NOT_FOUND' } });
  });

  it('an unknown task is TASK_NOT_FOUND', async () => {
    const s = start();
    expect((await s.run('no_such_task')).outcome).toMatchObject({ state: 'failed', error: { code: 'TASK_NOT_FOUND' } });
  });

  it('a callback error is logged and does not change the outcome', async () => {
    const s = start();
    const result = await s.run('callback_error');
    expect(result.outcome).toEqual({ state: 'success' });
    expect(result.stderr).toContain('callback exploded');
  });

  it('is reused across tries and renders each try from the original template', async () => {
    const s = start();
    s.variables.set('greeting', 'first');
    expect((await s.run('uses_variable')).stdout).toContain('greeting=first');
    s.variables.set('greeting', 'second');
    expect((await s.run('uses_variable', { tryNumber: 2 })).stdout).toContain('greeting=second');
  });

  it('exits when the IPC channel closes', async () => {
    const s = start();
    await s.ready;
    const exited = new Promise((resolve) => s.child.once('exit', resolve));
    s.child.disconnect();
    await exited;
    expect(s.child.exitCode).not.toBeNull();
  });
});
