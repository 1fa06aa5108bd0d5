import type { UpdraftConfig } from '../config/index.ts';
import { serializeError, UpdraftError, type ErrorCode } from '../contracts/errors.ts';
import type { TaskExecutionApi } from '../contracts/task-execution-api.ts';
import { tryIdOf, type TaskTryKey } from '../contracts/task-instance.ts';
import type { TaskWorkload } from '../contracts/workload.ts';
import { createLocalTaskRunner, type LocalTaskRunner } from '../worker/local-task-runner.ts';
import type { SupervisorEventListener } from '../worker/supervisor/index.ts';
import type { Executor, ExecutorEvent, ExecutorEventListener } from './executor.ts';
import { ExecutorEventHub } from './executor-events.ts';
import type { ExecutorLogger } from './executor-logger.ts';

export interface SupervisedExecutorOptions {
  name: string;
  /** Tries that may run at once. */
  parallelism: number;
  /** Warm task processes to keep ready; at most `parallelism`. */
  warmProcesses: number;
  config: UpdraftConfig;
  api: TaskExecutionApi;
  logger: ExecutorLogger;
  onSupervisorEvent?: SupervisorEventListener;
}

/** Errors after which the workload provably did not run and its task instance is as it was. */
const REJECTIONS: ReadonlySet<ErrorCode> = new Set(['INVALID_STATE_TRANSITION', 'TASK_PROCESS_POOL_CLOSED']);

type Lifecycle = 'created' | 'running' | 'stopping' | 'stopped';

interface ActiveTry {
  key: TaskTryKey;
  /** Settles (never rejects) once the try's event has been sent. */
  done: Promise<void>;
}

/**
 * Runs tries on this host, each under its own supervisor (runTaskTry) in a process from a warm
 * TaskProcessPool, at most `parallelism` at once. The sequential and local executors are this with
 * different slot counts. A try that goes wrong in any way costs the executor nothing but a log line:
 * its slot is freed and its event sent.
 */
export class SupervisedExecutor implements Executor {
  readonly name: string;
  readonly #options: SupervisedExecutorOptions;
  readonly #events: ExecutorEventHub;
  readonly #active = new Map<string, ActiveTry>();
  #lifecycle: Lifecycle = 'created';
  #runner: LocalTaskRunner | null = null;
  #closing: Promise<void> | null = null;

  constructor(options: SupervisedExecutorOptions) {
    requireCount(options.name, 'parallelism', options.parallelism, 1);
    requireCount(options.name, 'warmProcesses', options.warmProcesses, 0);
    this.name = options.name;
    this.#options = { ...options, warmProcesses: Math.min(options.warmProcesses, options.parallelism) };
    this.#events = new ExecutorEventHub(options.logger);
  }

  /** Spawns the warm processes in the background; the first tries may wait for them. */
  async start(): Promise<void> {
    if (this.#lifecycle === 'running') return;
    if (this.#lifecycle !== 'created') throw notRunning(this.name, 'it was stopped and cannot be started again');
    const { config, api, warmProcesses, onSupervisorEvent } = this.#options;
    this.#runner = createLocalTaskRunner({ config, api, size: warmProcesses, ...(onSupervisorEvent ? { onEvent: onSupervisorEvent } : {}) });
    this.#lifecycle = 'running';
  }

  availableSlots(): number {
    return this.#lifecycle === 'running' ? this.#options.parallelism - this.#active.size : 0;
  }

  queue(workload: TaskWorkload): void {
    const runner = this.#runner;
    if (this.#lifecycle !== 'running' || runner === null) throw notRunning(this.name, `it is ${this.#lifecycle}`);
    const id = tryIdOf(workload.key);
    if (this.#active.has(id)) {
      throw new UpdraftError('INVALID_ARGUMENT', `${this.name} is already running this try`, { details: { key: workload.key } });
    }
    if (this.availableSlots() === 0) {
      throw new UpdraftError('EXECUTOR_FULL', `${this.name} has no free slot (parallelism ${this.#options.parallelism})`, {
        hint: 'Queue no more workloads than availableSlots() returns',
        details: { key: workload.key },
      });
    }
    // #supervise awaits before it removes the entry, so the entry is always in place first.
    this.#active.set(id, { key: workload.key, done: this.#supervise(runner, workload, id) });
  }

  activeTries(): TaskTryKey[] {
    return [...this.#active.values()].map((active) => active.key);
  }

  onEvent(listener: ExecutorEventListener): () => void {
    return this.#events.add(listener);
  }

  async stop({ graceful }: { graceful: boolean }): Promise<void> {
    if (this.#lifecycle === 'created' || this.#lifecycle === 'stopped') {
      this.#lifecycle = 'stopped';
      return;
    }
    this.#lifecycle = 'stopping';
    if (graceful) await this.#allSettled();
    // Closing the pool kills busy processes; their supervisors then record the tries and settle.
    this.#closing ??= this.#runner?.close() ?? Promise.resolve();
    await this.#closing;
    await this.#allSettled();
    this.#lifecycle = 'stopped';
  }

  async #allSettled(): Promise<void> {
    await Promise.all([...this.#active.values()].map((active) => active.done));
  }

  async #supervise(runner: LocalTaskRunner, workload: TaskWorkload, id: string): Promise<void> {
    let event: ExecutorEvent;
    try {
      event = { type: 'try_finished', key: workload.key, state: await runner.runTry(workload) };
    } catch (error) {
      event = this.#eventForError(workload.key, error);
    }
    this.#active.delete(id);
    this.#events.emit(event);
  }

  #eventForError(key: TaskTryKey, error: unknown): ExecutorEvent {
    const serialized = serializeError(error);
    if (REJECTIONS.has(serialized.code)) {
      this.#options.logger.warn({ key, code: serialized.code }, `${this.name} did not run a try: ${serialized.message}`);
      return { type: 'try_rejected', key, code: serialized.code, reason: serialized.message };
    }
    this.#options.logger.error({ key, err: serialized }, `${this.name} lost a try to an unexpected error: ${serialized.message}`);
    return { type: 'try_errored', key, error: serialized };
  }
}

function notRunning(name: string, why: string): UpdraftError {
  return new UpdraftError('EXECUTOR_NOT_RUNNING', `${name} takes no work: ${why}`, { hint: 'Call start() first; a stopped executor stays stopped' });
}

function requireCount(name: string, option: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    throw new UpdraftError('CONFIG_INVALID', `${name} option ${option} must be an integer of at least ${min}, not ${value}`, {
      details: { executor: name, option, value },
    });
  }
}
