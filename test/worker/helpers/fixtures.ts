import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { taskLogPath } from '../../../src/contracts/log-path.ts';
import type { TaskTryKey } from '../../../src/contracts/task-instance.ts';
import type { TaskWorkload } from '../../../src/contracts/workload.ts';
import type { SupervisorEvent } from '../../../src/worker/supervisor/events.ts';
import { TaskProcessPool, type TaskProcessPoolOptions } from '../../../src/worker/supervisor/task-process-pool.ts';

export const SCRIPTED_TASK_PROCESS = fileURLToPath(new URL('../../fixtures/task-processes/scripted-task-process.ts', import.meta.url));
export const CRASH_ON_START = fileURLToPath(new URL('../../fixtures/task-processes/crash-on-start.ts', import.meta.url));

/** A pool of scripted fixture processes that records its events; close() it in afterEach. */
export function fixturePool(options: Partial<TaskProcessPoolOptions> = {}): { pool: TaskProcessPool; events: SupervisorEvent[] } {
  const events: SupervisorEvent[] = [];
  const pool = new TaskProcessPool({
    size: 1,
    entry: SCRIPTED_TASK_PROCESS,
    recycleAfterTasks: 100,
    recycleRssBytes: 4 * 1024 ** 3,
    shutdownGraceMs: 2_000,
    onEvent: (event) => events.push(event),
    ...options,
  });
  return { pool, events };
}

export function tryKey(taskId: string, tryNumber = 1): TaskTryKey {
  return { dagId: 'supervisor_test', runId: 'manual__2024-01-01T00:00:00+00:00', taskId, mapIndex: -1, tryNumber };
}

export function workloadFor(key: TaskTryKey, overrides: Partial<TaskWorkload> = {}): TaskWorkload {
  return {
    kind: 'execute_task',
    key,
    dagFile: '/nonexistent/dag.ts',
    dagVersionHash: 'test',
    logPath: taskLogPath(key),
    isolation: 'pool',
    executionTimeoutSeconds: null,
    queue: 'default',
    priorityWeight: 1,
    retries: 0,
    retryDelaySeconds: 300,
    retryExponentialBackoff: false,
    maxRetryDelaySeconds: null,
    ...overrides,
  };
}

export function tempDir(): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), 'updraft-supervisor-'));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export function readLog(logsFolder: string, workload: TaskWorkload): string {
  return readFileSync(join(logsFolder, workload.logPath), 'utf8');
}

/** True once `pid` no longer runs. A zombie counts as gone: it is dead, only not yet reaped. */
export function isGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return true;
    throw error;
  }
  try {
    return /^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true; // vanished between the two checks
  }
}
