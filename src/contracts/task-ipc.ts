import type { SerializedError } from './errors.ts';
import type { JsonValue } from './json.ts';
import type { TaskOutcome, TaskExecutionApi } from './task-execution-api.ts';
import type { TaskRunContextData } from './task-instance.ts';
import type { TaskWorkload } from './workload.ts';

/**
 * Messages between a supervisor and its task process (Node IPC). The task process never touches
 * the store: it asks its supervisor, which answers through a TaskExecutionApi. The try's lifecycle
 * is the supervisor's alone; the rendered fields travel as the one-way `rendered` message and the
 * return value in `done`, so neither costs the task a round trip.
 */
export type TaskApiMethod = Exclude<keyof TaskExecutionApi, 'startTry' | 'finishTry' | 'heartbeat' | 'setRenderedFields'>;

export type SupervisorToTask =
  | { type: 'run'; workload: TaskWorkload; context: TaskRunContextData; logFile: string }
  | { type: 'api_response'; id: number; ok: true; value: unknown }
  | { type: 'api_response'; id: number; ok: false; error: SerializedError }
  | { type: 'shutdown' };

export type TaskToSupervisor =
  | { type: 'ready'; pid: number }
  | { type: 'api_request'; id: number; method: TaskApiMethod; args: unknown[] }
  /** The try's rendered template fields, for display; not answered. */
  | { type: 'rendered'; fields: Record<string, JsonValue> }
  | { type: 'done'; outcome: TaskOutcome };
