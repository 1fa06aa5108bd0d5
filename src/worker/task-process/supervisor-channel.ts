import { deserializeError } from '../../contracts/errors.ts';
import type { JsonValue } from '../../contracts/json.ts';
import type { XComQuery } from '../../contracts/task-execution-api.ts';
import type { TaskTryKey } from '../../contracts/task-instance.ts';
import type { SupervisorToTask, TaskApiMethod, TaskToSupervisor } from '../../contracts/task-ipc.ts';
import type { ConnectionData } from '../../contracts/connection.ts';
import type { TaskServices } from '../templates/index.ts';

type ApiResponse = Extract<SupervisorToTask, { type: 'api_response' }>;

/** The task side of the IPC protocol: numbered requests, answered by matching `api_response`s. */
export class SupervisorChannel {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private readonly send: (message: TaskToSupervisor) => void;

  constructor(send: (message: TaskToSupervisor) => void) {
    this.send = send;
  }

  notify(message: TaskToSupervisor): void {
    this.send(message);
  }

  request(method: TaskApiMethod, args: unknown[]): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.send({ type: 'api_request', id, method, args });
    });
  }

  /** Settles the request the response answers; errors keep their code across the process boundary. */
  settle(response: ApiResponse): void {
    const waiter = this.pending.get(response.id);
    if (waiter === undefined) return;
    this.pending.delete(response.id);
    if (response.ok) waiter.resolve(response.value);
    else waiter.reject(deserializeError(response.error));
  }
}

/** Everything a try asks its supervisor for, scoped to that try (the supervisor checks the scope too). */
export interface TryApi extends TaskServices {
  /** Hands the rendered fields to the supervisor, which stores them; fire and forget. */
  reportRenderedFields(fields: Record<string, JsonValue>): void;
  skipTasks(taskIds: string[]): Promise<void>;
}

export function tryApi(channel: SupervisorChannel, key: TaskTryKey): TryApi {
  return {
    getVariable: async (variableKey) => (await channel.request('getVariable', [variableKey])) as string | null,
    getConnection: async (connId) => (await channel.request('getConnection', [connId])) as ConnectionData | null,
    pushXCom: async (xcomKey, value) => {
      await channel.request('pushXCom', [key, xcomKey, value]);
    },
    // undefined does not survive IPC serialization: a missing XCom arrives as null or no value.
    pullXCom: async (query: XComQuery) => ((await channel.request('pullXCom', [query])) ?? undefined) as JsonValue | undefined,
    reportRenderedFields: (fields) => channel.notify({ type: 'rendered', fields }),
    skipTasks: async (taskIds) => {
      await channel.request('skipTasks', [{ dagId: key.dagId, runId: key.runId }, taskIds]);
    },
  };
}
