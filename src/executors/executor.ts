import type { ErrorCode, SerializedError } from '../contracts/errors.ts';
import type { TaskInstanceState } from '../contracts/states.ts';
import type { TaskTryKey } from '../contracts/task-instance.ts';
import type { TaskWorkload } from '../contracts/workload.ts';

/**
 * What an executor reports back: exactly one event for every workload `queue` accepted, sent after
 * the try has left `activeTries()` (so a listener that asks for `availableSlots()` sees the freed
 * slot). Whatever the try recorded is already in the store when the event fires.
 */
export type ExecutorEvent =
  | { type: 'try_finished'; key: TaskTryKey; state: TaskInstanceState }
  /**
   * The executor did not run the workload at all, and left its task instance as it was.
   * `INVALID_STATE_TRANSITION`: startTry refused (the TI is not queued for this try, e.g. another
   * worker has it), so the scheduler should leave it alone. `TASK_PROCESS_POOL_CLOSED`: the executor
   * was stopped before the try got a process; the TI is still `queued`.
   */
  | { type: 'try_rejected'; key: TaskTryKey; code: ErrorCode; reason: string }
  /**
   * An unexpected error ended the executor's handling of the try (no task process could be
   * started, the store failed mid-try, the log could not be written...). The task instance keeps
   * the last state recorded for it; the scheduler's queued and heartbeat timeouts settle it.
   */
  | { type: 'try_errored'; key: TaskTryKey; error: SerializedError };

export type ExecutorEventListener = (event: ExecutorEvent) => void;

/**
 * The one interface between the scheduler and everything that runs tasks: the sequential and local
 * executors here, and the queue (BullMQ) and Kubernetes executors later. The scheduler decides and
 * records `queued` before it calls `queue` (on SQLite a try-end follow-up calls it inside that
 * transaction, whose commit any start waits for: ADR 0018); the executor (through the supervisor
 * and the TaskExecutionApi) records everything from `running` on. An executor never writes scheduling state.
 * Every implementation passes the conformance suite in test/executors/conformance.ts.
 */
export interface Executor {
  /** The name tasks use to choose it (`executor: 'LocalExecutor'`). */
  readonly name: string;
  start(): Promise<void>;
  /** How many more workloads it accepts right now (0 before start and once stopping). */
  availableSlots(): number;
  /**
   * Takes a workload and returns at once; the outcome arrives as an event. Throws (and takes
   * nothing) when the caller breaks the contract: EXECUTOR_NOT_RUNNING before start or once
   * stopping, EXECUTOR_FULL without a free slot, INVALID_ARGUMENT for a try already active here.
   */
  queue(workload: TaskWorkload): void;
  /** Tries accepted and not yet finished, for liveness checks and graceful shutdown. */
  activeTries(): TaskTryKey[];
  /** Adds a listener; returns the function that removes it. A listener that throws is logged. */
  onEvent(listener: ExecutorEventListener): () => void;
  /**
   * Stops taking work. `graceful`: wait for running tries to finish (SIGTERM). Otherwise kill them
   * (a second, non-graceful call during a graceful stop escalates); their supervisors record the
   * tries as failed or up for retry, and any the supervisor could not record are found by the
   * heartbeat check. Resolves when no try is active any more.
   */
  stop(options: { graceful: boolean }): Promise<void>;
}

/** Tries accepted and not yet finished, over all the given executors. */
export function countActiveTries(executors: Iterable<Executor>): number {
  let count = 0;
  for (const executor of executors) count += executor.activeTries().length;
  return count;
}
