import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { taskLogPath } from '../../src/contracts/log-path.ts';
import type { TaskTryKey } from '../../src/contracts/task-instance.ts';
import type { SupervisorEvent } from '../../src/worker/supervisor/events.ts';
import { runTaskTry, type RunTaskTryOptions } from '../../src/worker/supervisor/run-task-try.ts';
import { DEFAULT_TASK_PROCESS_ENTRY } from '../../src/worker/supervisor/task-process-pool.ts';
import { fixturePool, readLog, tempDir, workloadFor } from './helpers/fixtures.ts';
import { MemoryTaskApi } from './helpers/memory-task-api.ts';

/** The supervisor driving the real task process (src/worker/task-process/main.ts) through a DAG file. */
const DAG_FILE = fileURLToPath(new URL('./dags/supervised-bash.ts', import.meta.url));

let logs: ReturnType<typeof tempDir>;
let pool: ReturnType<typeof fixturePool>['pool'];
let api: MemoryTaskApi;
let events: SupervisorEvent[];

beforeEach(() => {
  logs = tempDir();
  ({ pool } = fixturePool({ size: 1, entry: DEFAULT_TASK_PROCESS_ENTRY }));
  api = new MemoryTaskApi();
  events = [];
});
afterEach(async () => {
  await pool.close();
  logs.remove();
});

const options = (): RunTaskTryOptions => ({ logsFolder: logs.path, heartbeatIntervalMs: 60_000, killGraceMs: 500, onEvent: (e) => events.push(e) });

function bashWorkload(taskId: string, overrides: Parameters<typeof workloadFor>[1] = {}) {
  const key: TaskTryKey = { dagId: 'supervised_bash', runId: `manual__${taskId}`, taskId, mapIndex: -1, tryNumber: 1 };
  return workloadFor(key, { dagFile: DAG_FILE, logPath: taskLogPath(key), ...overrides });
}

describe('runTaskTry with the real task process', () => {
  it('runs BashOperator tries one after another in one warm process', async () => {
    const greet = bashWorkload('greet');
    const fail = bashWorkload('fail');
    await expect(runTaskTry(greet, api, pool, options())).resolves.toBe('success');
    await expect(runTaskTry(fail, api, pool, options())).resolves.toBe('failed');

    const greetLog = readLog(logs.path, greet);
    expect(greetLog).toContain('hello from manual__greet');
    expect(greetLog).toContain('to stderr');
    expect(greetLog).not.toContain('about to fail');
    expect(readLog(logs.path, fail)).toContain('about to fail');
    // The return value comes with the success, the rendered fields with a one-way message: no requests.
    expect(api.finishedWith()[0]).toEqual({ state: 'success', returnValue: 'hello from manual__greet' });
    expect(api.xcoms.get('greet:return_value')).toBe('hello from manual__greet');
    expect(api.callsOf('setRenderedFields')).toContainEqual([greet.key, expect.objectContaining({ bashCommand: 'echo "to stderr" >&2; echo "hello from manual__greet"' })]);
    expect(api.callsOf('pushXCom')).toEqual([]);
    expect(api.finishedWith()[1]).toMatchObject({ state: 'failed' });
    const started = events.filter((event) => event.type === 'try_started');
    expect(started.map((event) => event.pid)).toEqual([started[0]?.pid, started[0]?.pid]);
  });

  it('fails a try whose return value is too large to store in the task process, before it reports success', async () => {
    api.xcomMaxBytes = 10;
    const greet = bashWorkload('greet');
    await expect(runTaskTry(greet, api, pool, options())).resolves.toBe('failed');
    expect(api.finishedWith()).toMatchObject([{ state: 'failed', error: { code: 'XCOM_TOO_LARGE' } }]);
    expect(api.xcoms.size).toBe(0);
    const log = readLog(logs.path, greet);
    expect(log).toContain('XCom "return_value" of task greet is 26 bytes as JSON, above the limit of 10 bytes');
    expect(log).toContain('Marking task as FAILED');
    expect(log).not.toContain('Marking task as SUCCESS');
  });

  it('times out a running bash command and fails the try', async () => {
    const workload = bashWorkload('sleep', { executionTimeoutSeconds: 1 });
    await expect(runTaskTry(workload, api, pool, options())).resolves.toBe('failed');
    expect(api.finishedWith()[0]).toMatchObject({ state: 'failed', error: { code: 'TASK_TIMEOUT' } });
    expect(readLog(logs.path, workload)).toContain('sleeping');
  });
});
