import { serializeError, UpdraftError } from '../../contracts/errors.ts';
import type { JsonValue } from '../../contracts/json.ts';
import type { TaskExecutionApi } from '../../contracts/task-execution-api.ts';
import type { TaskTryKey } from '../../contracts/task-instance.ts';
import type { SupervisorToTask, TaskApiMethod, TaskToSupervisor } from '../../contracts/task-ipc.ts';

/**
 * What a task process may ask for, and whose data each method touches: `try` methods take the
 * try's key first, `run` methods a run, `global` ones neither. `satisfies` makes adding a method to
 * TaskExecutionApi a compile error here until someone decides how it is scoped.
 */
const TASK_API_SCOPES = {
  pushXCom: 'try',
  skipTasks: 'run',
  getVariable: 'global',
  getConnection: 'global',
  pullXCom: 'global',
} as const satisfies Record<TaskApiMethod, 'try' | 'run' | 'global'>;

type ApiRequest = Extract<TaskToSupervisor, { type: 'api_request' }>;
type RenderedMessage = Extract<TaskToSupervisor, { type: 'rendered' }>;
type ApiResponse = Extract<SupervisorToTask, { type: 'api_response' }>;

/**
 * Answers one `api_request` from the task process running `key` by calling the same method on
 * `api`. Never throws: every failure, including a refused request, becomes an `ok: false` response.
 */
export async function answerApiRequest(api: TaskExecutionApi, key: TaskTryKey, request: ApiRequest): Promise<ApiResponse> {
  try {
    const value = await callScoped(api, key, request);
    return { type: 'api_response', id: request.id, ok: true, value };
  } catch (error) {
    return { type: 'api_response', id: request.id, ok: false, error: serializeError(error) };
  }
}

/**
 * The fields of a `rendered` message, or null when it is malformed (noted through `note`, the try
 * log). The message comes from a process running user code: its shape is checked, not trusted.
 */
export function renderedFieldsOf(message: RenderedMessage, note: (text: string) => void): Record<string, JsonValue> | null {
  const { fields } = message as { fields: unknown };
  if (isPlainObject(fields)) return fields;
  note('The task process sent malformed rendered template fields; they are not stored');
  return null;
}

/**
 * Stores a try's rendered template fields. They are for display only: a failed write is noted
 * through `note` (the try log), never the try's failure. Never throws.
 */
export async function storeRenderedFields(api: TaskExecutionApi, key: TaskTryKey, fields: Record<string, JsonValue>, note: (text: string) => void): Promise<void> {
  try {
    await api.setRenderedFields(key, fields);
  } catch (error) {
    note(`Could not store the rendered template fields: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function isPlainObject(value: unknown): value is Record<string, JsonValue> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

async function callScoped(api: TaskExecutionApi, key: TaskTryKey, request: ApiRequest): Promise<unknown> {
  const { method, args } = request as { method: unknown; args: unknown };
  if (typeof method !== 'string' || !Object.hasOwn(TASK_API_SCOPES, method)) {
    throw refuse(`Task processes may not call ${String(method)}`, { method });
  }
  if (!Array.isArray(args)) throw refuse(`Arguments of ${method} must be an array`, { method });
  const scope = TASK_API_SCOPES[method as TaskApiMethod];
  if (scope === 'try' && !isSameTry(args[0], key)) {
    throw refuse(`${method} may only act on the running try`, { method, key });
  }
  if (scope === 'run' && !isSameRun(args[0], key)) {
    throw refuse(`${method} may only act on the running try's DAG run`, { method, dagId: key.dagId, runId: key.runId });
  }
  const call = api[method as TaskApiMethod] as (...callArgs: unknown[]) => Promise<unknown>;
  return call.apply(api, args);
}

function isSameRun(value: unknown, key: TaskTryKey): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const run = value as Record<string, unknown>;
  return run.dagId === key.dagId && run.runId === key.runId;
}

function isSameTry(value: unknown, key: TaskTryKey): boolean {
  if (!isSameRun(value, key)) return false;
  const other = value as Record<string, unknown>;
  return other.taskId === key.taskId && other.mapIndex === key.mapIndex && other.tryNumber === key.tryNumber;
}

function refuse(message: string, details: Record<string, unknown>): UpdraftError {
  return new UpdraftError('INVALID_ARGUMENT', message, {
    hint: 'Task processes talk to the store only through the task-scoped API of their own try',
    details,
  });
}
