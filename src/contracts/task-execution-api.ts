import type { ConnectionData } from './connection.ts';
import type { SerializedError } from './errors.ts';
import type { JsonValue } from './json.ts';
import type { TaskInstanceState } from './states.ts';
import type { TaskInstanceKey, TaskRunContextData, TaskTryKey } from './task-instance.ts';

/** How one try ended, as reported by the task process. */
export type TaskOutcome =
  | {
      state: 'success';
      /**
       * The task's return value, stored as its `return_value` XCom in the same transaction that
       * records the success (only present when the task returned something other than undefined
       * and `doXcomPush` is on; already converted with toXComValue).
       */
      returnValue?: JsonValue;
    }
  | { state: 'skipped'; reason?: string }
  | { state: 'failed'; error: SerializedError }
  | { state: 'up_for_retry'; error: SerializedError; nextRetryAt: string }
  | { state: 'up_for_reschedule'; rescheduleAt: string };

export interface XComQuery {
  dagId: string;
  runId: string;
  taskId: string;
  key: string;
  mapIndex?: number;
}

/**
 * The seam between a task's supervisor and the metadata store. On trusted hosts the supervisor
 * implements it by writing to the store; remote workers (queue, Kubernetes) will implement it over
 * the task-scoped execution API. Every method is scoped to one try so that a token can authorise it.
 */
export interface TaskExecutionApi {
  /**
   * Moves the try to `running` and returns its context. Throws INVALID_STATE_TRANSITION when the
   * task instance is not queued/scheduled for exactly this try, so a try can never run twice.
   */
  startTry(key: TaskTryKey, host: { hostname: string; pid: number }): Promise<TaskRunContextData>;
  heartbeat(key: TaskTryKey): Promise<void>;
  /** Records the try's end. Returns the state the task instance ended in. */
  finishTry(key: TaskTryKey, outcome: TaskOutcome): Promise<TaskInstanceState>;
  setRenderedFields(key: TaskTryKey, fields: Record<string, JsonValue>): Promise<void>;
  getVariable(key: string): Promise<string | null>;
  getConnection(connId: string): Promise<ConnectionData | null>;
  pushXCom(key: TaskTryKey, xcomKey: string, value: JsonValue): Promise<void>;
  pullXCom(query: XComQuery): Promise<JsonValue | undefined>;
  /** Used by branching and short-circuit operators to skip downstream task instances of the same run. */
  skipTasks(run: Pick<TaskInstanceKey, 'dagId' | 'runId'>, taskIds: string[]): Promise<void>;
}
