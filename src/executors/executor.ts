import type { TaskInstanceState } from '../contracts/states.ts';
import type { TaskTryKey } from '../contracts/task-instance.ts';
import type { TaskWorkload } from '../contracts/workload.ts';

/** What an executor reports back; the try's state itself is already in the store when this fires. */
export type ExecutorEvent =
  | { type: 'try_finished'; key: TaskTryKey; state: TaskInstanceState }
  /** The executor could not run the workload at all (e.g. startTry refused: another worker has it). */
  | { type: 'try_rejected'; key: TaskTryKey; reason: string };

export type ExecutorEventListener = (event: ExecutorEvent) => void;

/**
 * The one interface between the scheduler and everything that runs tasks: the sequential and local
 * executors here, and the queue (BullMQ) and Kubernetes executors later. The scheduler decides and
 * records `queued` before it calls `queue`; the executor (through the supervisor and the
 * TaskExecutionApi) records everything from `running` on. An executor never writes scheduling state.
 */
export interface Executor {
  /** The name tasks use to choose it (`executor: 'LocalExecutor'`). */
  readonly name: string;
  start(): Promise<void>;
  /** How many more workloads it accepts right now; the scheduler never queues more than this. */
  availableSlots(): number;
  /** Takes a workload and returns at once; the outcome arrives as an event. */
  queue(workload: TaskWorkload): void;
  /** Tries accepted and not yet finished, for liveness checks and graceful shutdown. */
  activeTries(): TaskTryKey[];
  onEvent(listener: ExecutorEventListener): () => void;
  /**
   * Stops taking work. `graceful`: wait for running tries to finish (SIGTERM). Otherwise kill them;
   * their task instances are then found by the heartbeat check and retried.
   */
  stop(options: { graceful: boolean }): Promise<void>;
}
