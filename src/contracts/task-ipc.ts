import type { SerializedError } from './errors.ts';
import type { TaskOutcome, TaskExecutionApi } from './task-execution-api.ts';
import type { TaskRunContextData } from './task-instance.ts';
import type { TaskWorkload } from './workload.ts';

/**
 * Messages between a supervisor and its task process (Node IPC). The task process never touches
 * the store: it asks its supervisor, which answers through a TaskExecutionApi.
 */
export type TaskApiMethod = Exclude<keyof TaskExecutionApi, 'startTry' | 'finishTry' | 'heartbeat'>;

export type SupervisorToTask =
  | { type: 'run'; workload: TaskWorkload; context: TaskRunContextData; logFile: string }
  | { type: 'api_response'; id: number; ok: true; value: unknown }
  | { type: 'api_response'; id: number; ok: false; error: SerializedError }
  | { type: 'shutdown' };

export type TaskToSupervisor =
  | { type: 'ready'; pid: number }
  | { type: 'api_request'; id: number; method: TaskApiMethod; args: unknown[] }
  | { type: 'done'; outcome: TaskOutcome };
