import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { JsonObject } from '../../src/contracts/json.ts';
import type { TaskTryKey } from '../../src/contracts/task-instance.ts';
import type { TaskWorkload } from '../../src/contracts/workload.ts';
import type { SupervisorEvent } from '../../src/worker/supervisor/events.ts';
import { runTaskTry, type RunTaskTryOptions } from '../../src/worker/supervisor/run-task-try.ts';
import type { TaskProcessPool } from '../../src/worker/supervisor/task-process-pool.ts';
import type { ScriptStep } from '../fixtures/task-processes/scripted-task-process.ts';
import { fixturePool, isGone, readLog, tempDir, tryKey, workloadFor } from './helpers/fixtures.ts';
import { MemoryTaskApi } from './helpers/memory-task-api.ts';

let logs: ReturnType<typeof tempDir>;
let pool: TaskProcessPool;
let api: MemoryTaskApi;
let events: SupervisorEvent[];

beforeEach(() => {
  logs = tempDir();
  ({ pool } = fixturePool({ size: 1 }));
  api = new MemoryTaskApi();
  events = [];
});
afterEach(async () => {
  await pool.close();
  logs.remove();
});

function options(overrides: Partial<RunTaskTryOptions> = {}): RunTaskTryOptions {
  return { logsFolder: logs.path, heartbeatIntervalMs: 60_000, killGraceMs: 300, hostname: 'test-host', onEvent: (e) => events.push(e), ...overrides };
}

/** A workload whose fixture process follows `steps` and then reports `outcome`. */
function scripted(key: TaskTryKey, steps: ScriptStep[], overrides: Partial<TaskWorkload> = {}, extra: JsonObject = {}): TaskWorkload {
  api.paramsByTaskId.set(key.taskId, { steps, ...extra } as unknown as JsonObject);
  return workloadFor(key, overrides);
}

const pidOf = (event: SupervisorEvent | undefined): number => (event !== undefined && 'pid' in event ? event.pid : -1);
const startedEvents = (): Extract<SupervisorEvent, { type: 'try_started' }>[] =>
  events.filter((event): event is Extract<SupervisorEvent, { type: 'try_started' }> => event.type === 'try_started');

describe('runTaskTry', () => {
  it('writes each try’s output, and only its output, to its own log on a reused process', async () => {
    const line = (tag: string) => `${tag}${'.'.repeat(90)}\n`;
    // Hundreds of kilobytes per stream, more than a pipe holds.
    // Output written after `done` (a logger flushing late) still belongs to the first try.
    const first = scripted(
      tryKey('first'),
      [
        { do: 'print', stream: 'stdout', text: line('first-out'), repeat: 3000 },
        { do: 'print', stream: 'stderr', text: line('first-err'), repeat: 3000 },
      ],
      {},
      {
        afterDone: [
          { do: 'sleep', ms: 50 },
          { do: 'print', stream: 'stderr', text: line('first-late'), repeat: 100 },
          { do: 'print', stream: 'stdout', text: 'first-tail-without-newline' },
        ],
      },
    );
    const second = scripted(tryKey('second'), [
      { do: 'print', stream: 'stderr', text: line('second-err'), repeat: 2000 },
      { do: 'print', stream: 'stdout', text: line('second-out'), repeat: 2000 },
    ]);

    await expect(runTaskTry(first, api, pool, options())).resolves.toBe('success');
    await expect(runTaskTry(second, api, pool, options())).resolves.toBe('success');

    const [firstStart, secondStart] = startedEvents();
    expect(secondStart?.pid).toBe(firstStart?.pid);
    expect(secondStart?.reusedProcess).toBe(true);
    const firstLog = readLog(logs.path, first);
    const secondLog = readLog(logs.path, second);
    const count = (text: string, needle: string) => text.split(needle).length - 1;
    expect(count(firstLog, line('first-out'))).toBe(3000);
    expect(count(firstLog, line('first-err'))).toBe(3000);
    expect(count(firstLog, line('first-late'))).toBe(100);
    expect(firstLog).toMatch(/first-tail-without-newline\n\[[^\]]+\] \{updraft\} Try 1 finished: state=success/);
    expect(count(secondLog, line('second-out'))).toBe(2000);
    expect(count(secondLog, line('second-err'))).toBe(2000);
    expect(secondLog).not.toContain('first');
    expect(firstLog).not.toContain('second');
    expect(firstLog).not.toContain('\u0000');
  });

  it('opens the log with a header naming the try, host and pid, and records start and finish', async () => {
    const key = tryKey('header');
    const workload = scripted(key, []);
    await runTaskTry(workload, api, pool, options());
    const pid = pidOf(events.find((event) => event.type === 'try_started'));
    const log = readLog(logs.path, workload);
    expect(log.split('\n')[0]).toMatch(
      new RegExp(`\\{updraft\\} Starting try 1 of supervisor_test\\.header run_id=${key.runId.replace(/[+]/g, '\\+')} host=test-host pid=${pid} at \\d{4}-`),
    );
    expect(api.callsOf('startTry')).toEqual([[key, { hostname: 'test-host', pid }]]);
    expect(api.finishedWith()).toEqual([{ state: 'success' }]);
    expect(events.map((event) => event.type)).toEqual(['try_started', 'try_finished']);
  });

  it('records the outcome the task reports, as given', async () => {
    const outcome = { state: 'failed', error: { code: 'TASK_FAILED', message: 'exit code 1' } } as const;
    const workload = scripted(tryKey('reports-failure'), [], {}, { outcome });
    await expect(runTaskTry(workload, api, pool, options())).resolves.toBe('failed');
    expect(api.finishedWith()).toEqual([outcome]);
    expect(events.at(-1)).toMatchObject({ type: 'try_finished', state: 'failed', errorCode: 'TASK_FAILED' });
  });

  it('fails a try whose process reports a malformed outcome', async () => {
    const workload = scripted(tryKey('malformed'), [], {}, { outcome: { state: 'running' } });
    await expect(runTaskTry(workload, api, pool, options())).resolves.toBe('failed');
    expect(api.finishedWith()[0]).toMatchObject({ state: 'failed', error: { code: 'INTERNAL' } });
  });

  it('serves api requests through the api, scoped to the running try', async () => {
    const key = tryKey('api');
    const otherTry = { ...key, taskId: 'someone_else' };
    api.variables.set('greeting', 'hello');
    const workload = scripted(key, [
      { do: 'api', method: 'getVariable', args: ['greeting'] },
      { do: 'api', method: 'pushXCom', args: [key, 'return_value', { rows: 3 }] },
      { do: 'api', method: 'pushXCom', args: [otherTry, 'return_value', 'forged'] },
      { do: 'api', method: 'skipTasks', args: [{ dagId: key.dagId, runId: 'another_run' }, ['t']] },
      { do: 'api', method: 'getConnection', args: ['missing'] },
      { do: 'api', method: 'finishTry', args: [key, { state: 'success' }] },
      { do: 'api', method: 'toString', args: [] },
    ]);
    await expect(runTaskTry(workload, api, pool, options())).resolves.toBe('success');
    const log = readLog(logs.path, workload);
    expect(log).toContain('api getVariable ok "hello"\n');
    expect(log).toContain('api pushXCom ok null\n');
    expect(log).toContain('api pushXCom error INVALID_ARGUMENT\n');
    expect(log).toContain('api skipTasks error INVALID_ARGUMENT\n');
    expect(log).toContain('api getConnection error CONN_NOT_FOUND\n');
    expect(log).toContain('api finishTry error INVALID_ARGUMENT\n');
    expect(log).toContain('api toString error INVALID_ARGUMENT\n');
    expect(api.callsOf('pushXCom')).toEqual([[key, 'return_value', { rows: 3 }]]);
    expect(api.callsOf('skipTasks')).toEqual([]);
    expect(api.callsOf('finishTry')).toHaveLength(1); // only the supervisor's own
  });

  it('refuses a request to store rendered fields: they come as a one-way `rendered` message', async () => {
    const key = tryKey('rendered');
    const workload = scripted(key, [
      { do: 'api', method: 'setRenderedFields', args: [key, { bash_command: 'forged' }] },
      { do: 'send', message: { type: 'rendered', fields: { bash_command: 'echo hi', env: { A: '1' } } } },
    ]);
    await expect(runTaskTry(workload, api, pool, options())).resolves.toBe('success');
    expect(readLog(logs.path, workload)).toContain('api setRenderedFields error INVALID_ARGUMENT\n');
    expect(api.callsOf('setRenderedFields')).toEqual([[key, { bash_command: 'echo hi', env: { A: '1' } }]]);
    // Stored before the try is recorded, like any call the task started.
    expect(api.calls.map((call) => call.method).slice(-2)).toEqual(['setRenderedFields', 'finishTry']);
  });

  it('stores the rendered fields of a short try with its outcome, and those of a longer one while it runs', async () => {
    const fields = { bash_command: 'echo hi' };
    const short = scripted(tryKey('rendered-short'), [{ do: 'send', message: { type: 'rendered', fields } }]);
    await expect(runTaskTry(short, api, pool, options({ renderedFieldsDelayMs: 5_000 }))).resolves.toBe('success');
    expect(api.calls.map((call) => call.method).slice(-2)).toEqual(['setRenderedFields', 'finishTry']);

    const long = scripted(tryKey('rendered-long'), [
      { do: 'send', message: { type: 'rendered', fields } },
      { do: 'sleep', ms: 400 },
    ]);
    const running = runTaskTry(long, api, pool, options({ renderedFieldsDelayMs: 50 }));
    // Visible while the try still runs: stored before the task has even finished sleeping.
    await vi.waitFor(() => expect(api.callsOf('setRenderedFields')).toContainEqual([long.key, fields]), { timeout: 300 });
    expect(api.callsOf('finishTry').filter(([key]) => key === long.key)).toEqual([]);
    await expect(running).resolves.toBe('success');
    expect(api.callsOf('setRenderedFields').filter(([key]) => key === long.key)).toHaveLength(1);
  });

  it('notes malformed rendered fields in the log and ignores them', async () => {
    const workload = scripted(tryKey('rendered-malformed'), [
      { do: 'send', message: { type: 'rendered', fields: ['not', 'an', 'object'] } },
      { do: 'send', message: { type: 'rendered', fields: null } },
      { do: 'send', message: { type: 'rendered' } },
    ]);
    await expect(runTaskTry(workload, api, pool, options())).resolves.toBe('success');
    const log = readLog(logs.path, workload);
    expect(log.split('The task process sent malformed rendered template fields; they are not stored').length - 1).toBe(3);
    expect(api.callsOf('setRenderedFields')).toEqual([]);
  });

  it('notes a failure to store the rendered fields in the log without failing the try', async () => {
    vi.spyOn(api, 'setRenderedFields').mockRejectedValue(new Error('database is locked'));
    const workload = scripted(tryKey('rendered-unstored'), [{ do: 'send', message: { type: 'rendered', fields: { bash_command: 'echo hi' } } }]);
    await expect(runTaskTry(workload, api, pool, options())).resolves.toBe('success');
    expect(readLog(logs.path, workload)).toContain('Could not store the rendered template fields: database is locked\n');
  });

  it('records the return value that comes with a success', async () => {
    const key = tryKey('returns');
    const workload = scripted(key, [], {}, { outcome: { state: 'success', returnValue: { rows: 3 } } });
    await expect(runTaskTry(workload, api, pool, options())).resolves.toBe('success');
    expect(api.finishedWith()).toEqual([{ state: 'success', returnValue: { rows: 3 } }]);
    expect(api.xcoms.get('returns:return_value')).toEqual({ rows: 3 });
    expect(api.callsOf('pushXCom')).toEqual([]);
  });

  describe('a return value the api cannot store', () => {
    const tooLarge = { outcome: { state: 'success', returnValue: 'x'.repeat(100) } };
    beforeEach(() => {
      api.xcomMaxBytes = 64;
    });

    it('fails the try with XCOM_TOO_LARGE in its log', async () => {
      const workload = scripted(tryKey('too-large'), [], {}, tooLarge);
      await expect(runTaskTry(workload, api, pool, options())).resolves.toBe('failed');
      expect(api.finishedWith()[1]).toMatchObject({ state: 'failed', error: { code: 'XCOM_TOO_LARGE' } });
      expect(api.xcoms.size).toBe(0);
      const log = readLog(logs.path, workload);
      expect(log).toContain('The return value cannot be stored (XCOM_TOO_LARGE)');
      expect(log).toMatch(/Try 1 finished: state=failed/);
      expect(events.at(-1)).toMatchObject({ type: 'try_finished', state: 'failed', errorCode: 'XCOM_TOO_LARGE' });
    });

    it('puts the try up for retry when it has tries left', async () => {
      const workload = scripted(tryKey('too-large-retry'), [], { retries: 1, retryDelaySeconds: 60 }, tooLarge);
      await expect(runTaskTry(workload, api, pool, options())).resolves.toBe('up_for_retry');
      expect(api.finishedWith()[1]).toMatchObject({ state: 'up_for_retry', error: { code: 'XCOM_TOO_LARGE' } });
    });
  });

  it('heartbeats while the task runs', async () => {
    const key = tryKey('heartbeat');
    const workload = scripted(key, [{ do: 'sleep', ms: 300 }]);
    await runTaskTry(workload, api, pool, options({ heartbeatIntervalMs: 20 }));
    expect(api.callsOf('heartbeat').length).toBeGreaterThan(0);
    expect(api.callsOf('heartbeat')).toContainEqual([key]);
    expect(api.calls.at(-1)?.method).toBe('finishTry'); // no heartbeat after the try is recorded
  });

  it('refuses to run when startTry refuses, and leaves the process reusable', async () => {
    api.refuseStart = true;
    const workload = scripted(tryKey('refused'), [{ do: 'api', method: 'getVariable', args: ['ran'] }]);
    await expect(runTaskTry(workload, api, pool, options())).rejects.toMatchObject({ code: 'INVALID_STATE_TRANSITION' });
    expect(api.calls.map((call) => call.method)).toEqual(['startTry']);
    expect(existsSync(join(logs.path, workload.logPath))).toBe(false);
    const refusedPid = (api.callsOf('startTry')[0]?.[1] as { pid: number }).pid;

    api.refuseStart = false;
    await runTaskTry(scripted(tryKey('accepted'), []), api, pool, options());
    expect(pidOf(startedEvents()[0])).toBe(refusedPid);
  });

  it('kills the whole process tree on execution timeout and fails with TASK_TIMEOUT', async () => {
    const workload = scripted(tryKey('timeout'), [{ do: 'grandchild', ignoreTerm: true }, { do: 'hang' }], { executionTimeoutSeconds: 0.5 });
    await expect(runTaskTry(workload, api, pool, options())).resolves.toBe('failed');

    const log = readLog(logs.path, workload);
    const grandchildPid = Number(/grandchild-pid=(\d+)/.exec(log)?.[1]);
    expect(grandchildPid).toBeGreaterThan(0);
    await vi.waitFor(() => expect(isGone(grandchildPid)).toBe(true));
    const taskPid = pidOf(startedEvents()[0]);
    expect(isGone(taskPid)).toBe(true);
    expect(api.finishedWith()[0]).toMatchObject({ state: 'failed', error: { code: 'TASK_TIMEOUT' } });
    expect(events).toContainEqual({ type: 'timeout', key: workload.key, pid: taskPid, timeoutSeconds: 0.5 });
    expect(log).toContain('Task exceeded its execution timeout of 0.5s');
  });

  it('retries a timed-out try when it has tries left', async () => {
    const workload = scripted(tryKey('timeout-retry'), [{ do: 'hang' }], { executionTimeoutSeconds: 0.2, retries: 2, retryDelaySeconds: 60 });
    await expect(runTaskTry(workload, api, pool, options())).resolves.toBe('up_for_retry');
    const outcome = api.finishedWith()[0];
    expect(outcome).toMatchObject({ state: 'up_for_retry', error: { code: 'TASK_TIMEOUT' } });
  });

  describe('a task process killed with SIGKILL mid-task', () => {
    const killedMidTask: ScriptStep[] = [
      { do: 'print', stream: 'stdout', text: 'about to die\n' },
      { do: 'kill-self', signal: 'SIGKILL' },
    ];

    it('is up for retry after its retry delay when tries remain', async () => {
      const workload = scripted(tryKey('killed', 1), killedMidTask, { retries: 1, retryDelaySeconds: 30 });
      const before = Date.now();
      await expect(runTaskTry(workload, api, pool, options())).resolves.toBe('up_for_retry');
      const outcome = api.finishedWith()[0];
      expect(outcome).toMatchObject({
        state: 'up_for_retry',
        error: { code: 'TASK_PROCESS_DIED', details: { exitCode: null, signal: 'SIGKILL' } },
      });
      const retryAt = Date.parse((outcome as { nextRetryAt: string }).nextRetryAt);
      expect(retryAt).toBeGreaterThanOrEqual(before + 30_000);
      const pid = pidOf(startedEvents()[0]);
      expect(events).toContainEqual({ type: 'process_died', pid, key: workload.key, exitCode: null, signal: 'SIGKILL' });
      const log = readLog(logs.path, workload);
      expect(log).toContain('about to die\n');
      expect(log).toContain('exited without reporting a result (signal SIGKILL)');
      expect(log).toMatch(/Try 1 finished: state=up_for_retry/);
    });

    it('fails when it was the last try, and the next try gets a new process', async () => {
      const workload = scripted(tryKey('killed', 2), killedMidTask, { retries: 1 });
      await expect(runTaskTry(workload, api, pool, options())).resolves.toBe('failed');
      expect(api.finishedWith()[0]).toMatchObject({ state: 'failed', error: { code: 'TASK_PROCESS_DIED' } });

      await runTaskTry(scripted(tryKey('after-death'), []), api, pool, options());
      const [dead, next] = startedEvents();
      expect(next?.pid).not.toBe(dead?.pid);
    });
  });

  it('does not reuse a process that did not mark the end of its output', async () => {
    const workload = scripted(tryKey('no-markers'), [{ do: 'print', stream: 'stdout', text: 'unmarked\n' }, { do: 'skip-markers' }]);
    await expect(runTaskTry(workload, api, pool, options())).resolves.toBe('success');
    expect(readLog(logs.path, workload)).toContain('did not mark the end of its output');
    await runTaskTry(scripted(tryKey('after-unmarked'), []), api, pool, options());
    const [unmarked, next] = startedEvents();
    expect(next?.pid).not.toBe(unmarked?.pid);
  });

  it('runs `process` isolation in a fresh process each time', async () => {
    await runTaskTry(scripted(tryKey('isolated-1'), []), api, pool, options());
    await runTaskTry(scripted(tryKey('isolated-2'), [], { isolation: 'process' }), api, pool, options());
    await runTaskTry(scripted(tryKey('isolated-3'), [], { isolation: 'process' }), api, pool, options());
    const pids = startedEvents().map((event) => event.pid);
    expect(new Set(pids).size).toBe(3);
    await vi.waitFor(() => expect(isGone(pids[1]!)).toBe(true));
  });

  it('starts task processes without database credentials', async () => {
    await pool.close();
    ({ pool } = fixturePool({ size: 1, env: { ...process.env, UPDRAFT__DATABASE__URL: 'postgres://secret', TASK_VISIBLE: 'yes' } }));
    const workload = scripted(tryKey('env'), [
      { do: 'env', name: 'UPDRAFT__DATABASE__URL' },
      { do: 'env', name: 'TASK_VISIBLE' },
    ]);
    await runTaskTry(workload, api, pool, options());
    const log = readLog(logs.path, workload);
    expect(log).toContain('env UPDRAFT__DATABASE__URL unset\n');
    expect(log).toContain('env TASK_VISIBLE=yes\n');
  });

  it('stops the task and records the try as failed when its log cannot be created', async () => {
    // The logs folder is a file: the try's log folder cannot be made once the task is on its way.
    const blocked = join(logs.path, 'not-a-folder');
    writeFileSync(blocked, '');
    const workload = scripted(tryKey('no-log'), [{ do: 'sleep', ms: 30_000 }]);
    const started = Date.now();
    await expect(runTaskTry(workload, api, pool, options({ logsFolder: blocked }))).rejects.toMatchObject({ code: 'TASK_LOG_UNAVAILABLE' });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(api.finishedWith()).toMatchObject([{ state: 'failed', error: { code: 'TASK_LOG_UNAVAILABLE', hint: expect.stringContaining('base_log_folder') } }]);
    const [[, host]] = api.callsOf('startTry') as [[unknown, { pid: number }]];
    await vi.waitFor(() => expect(isGone(host.pid)).toBe(true));
    expect(startedEvents()).toEqual([]);
  });

  it('refuses a log path outside the logs folder and records the try as failed', async () => {
    const workload = scripted(tryKey('escape'), [], { logPath: '../outside.log' });
    await expect(runTaskTry(workload, api, pool, options())).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(api.finishedWith()).toMatchObject([{ state: 'failed', error: { code: 'INVALID_ARGUMENT' } }]);
  });
});
