import type { TaskTryKey } from '../../../src/contracts/task-instance.ts';
import type { Executor, ExecutorEvent } from '../../../src/executors/executor.ts';
import type { ExecutorLogger } from '../../../src/executors/executor-logger.ts';

/** Every event an executor sent, and a way to wait for the one about a given try. */
export class EventRecorder {
  readonly events: ExecutorEvent[] = [];
  readonly #waiters: { key: TaskTryKey; resolve: (event: ExecutorEvent) => void }[] = [];

  constructor(executor: Executor) {
    executor.onEvent((event) => {
      this.events.push(event);
      for (const waiter of this.#waiters.filter((candidate) => sameTry(candidate.key, event.key))) {
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
        waiter.resolve(event);
      }
    });
  }

  /** The event about `key`: the one already received, or the next. No timeout: the test's own applies. */
  eventFor(key: TaskTryKey): Promise<ExecutorEvent> {
    const received = this.events.find((event) => sameTry(event.key, key));
    if (received !== undefined) return Promise.resolve(received);
    return new Promise((resolve) => this.#waiters.push({ key, resolve }));
  }

  eventsFor(key: TaskTryKey): ExecutorEvent[] {
    return this.events.filter((event) => sameTry(event.key, key));
  }
}

export interface LogRecord {
  level: 'warn' | 'error';
  details: Record<string, unknown>;
  message: string;
}

/** An ExecutorLogger that keeps what it is told, so tests can check what was logged. */
export function recordingLogger(): ExecutorLogger & { records: LogRecord[] } {
  const records: LogRecord[] = [];
  return {
    records,
    warn: (details, message) => records.push({ level: 'warn', details, message }),
    error: (details, message) => records.push({ level: 'error', details, message }),
  };
}

function sameTry(a: TaskTryKey, b: TaskTryKey): boolean {
  return a.dagId === b.dagId && a.runId === b.runId && a.taskId === b.taskId && a.mapIndex === b.mapIndex && a.tryNumber === b.tryNumber;
}
