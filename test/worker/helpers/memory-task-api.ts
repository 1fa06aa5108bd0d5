import { UpdraftError } from '../../../src/contracts/errors.ts';
import type { JsonObject, JsonValue } from '../../../src/contracts/json.ts';
import type { TaskInstanceState } from '../../../src/contracts/states.ts';
import type { TaskExecutionApi, TaskOutcome, XComQuery } from '../../../src/contracts/task-execution-api.ts';
import type { TaskInstanceKey, TaskRunContextData, TaskTryKey } from '../../../src/contracts/task-instance.ts';
import { encodeXComValue } from '../../../src/contracts/xcom-value.ts';

export interface RecordedCall {
  method: keyof TaskExecutionApi;
  args: unknown[];
}

/**
 * The tests' own TaskExecutionApi: records every call in memory. startTry hands out the params
 * registered for the task id, which the scripted fixture process reads as its script. XComs,
 * pushed or returned with a success, are kept in `xcoms` under `<taskId>:<key>`; like the store,
 * it refuses one above `xcomMaxBytes` and then records nothing.
 */
export class MemoryTaskApi implements TaskExecutionApi {
  readonly calls: RecordedCall[] = [];
  readonly variables = new Map<string, string>();
  readonly paramsByTaskId = new Map<string, JsonObject>();
  readonly xcoms = new Map<string, JsonValue>();
  xcomMaxBytes = Number.POSITIVE_INFINITY;
  /** When set, startTry refuses like the store does for a try that is not queued. */
  refuseStart = false;

  callsOf(method: keyof TaskExecutionApi): unknown[][] {
    return this.calls.filter((call) => call.method === method).map((call) => call.args);
  }

  finishedWith(): TaskOutcome[] {
    return this.callsOf('finishTry').map((args) => args[1] as TaskOutcome);
  }

  async startTry(key: TaskTryKey, host: { hostname: string; pid: number }): Promise<TaskRunContextData> {
    this.calls.push({ method: 'startTry', args: [key, host] });
    if (this.refuseStart) throw new UpdraftError('INVALID_STATE_TRANSITION', 'The try is not queued');
    return contextFor(key, host, this.paramsByTaskId.get(key.taskId) ?? {}, Number.isFinite(this.xcomMaxBytes) ? this.xcomMaxBytes : null);
  }

  async heartbeat(key: TaskTryKey): Promise<void> {
    this.calls.push({ method: 'heartbeat', args: [key] });
  }

  async finishTry(key: TaskTryKey, outcome: TaskOutcome): Promise<TaskInstanceState> {
    this.calls.push({ method: 'finishTry', args: [key, outcome] });
    if (outcome.state === 'success' && outcome.returnValue !== undefined) this.storeXCom(key, 'return_value', outcome.returnValue);
    return outcome.state;
  }

  async setRenderedFields(key: TaskTryKey, fields: Record<string, JsonValue>): Promise<void> {
    this.calls.push({ method: 'setRenderedFields', args: [key, fields] });
  }

  async getVariable(key: string): Promise<string | null> {
    this.calls.push({ method: 'getVariable', args: [key] });
    return this.variables.get(key) ?? null;
  }

  async getConnection(connId: string): Promise<null> {
    this.calls.push({ method: 'getConnection', args: [connId] });
    throw new UpdraftError('CONN_NOT_FOUND', `No connection ${connId}`);
  }

  async pushXCom(key: TaskTryKey, xcomKey: string, value: JsonValue): Promise<void> {
    this.calls.push({ method: 'pushXCom', args: [key, xcomKey, value] });
    this.storeXCom(key, xcomKey, value);
  }

  async pullXCom(query: XComQuery): Promise<JsonValue | undefined> {
    this.calls.push({ method: 'pullXCom', args: [query] });
    return undefined;
  }

  private storeXCom(key: TaskTryKey, xcomKey: string, value: JsonValue): void {
    encodeXComValue(value, { maxBytes: this.xcomMaxBytes, taskId: key.taskId, key: xcomKey });
    this.xcoms.set(`${key.taskId}:${xcomKey}`, value);
  }

  async skipTasks(run: Pick<TaskInstanceKey, 'dagId' | 'runId'>, taskIds: string[]): Promise<void> {
    this.calls.push({ method: 'skipTasks', args: [run, taskIds] });
  }
}

function contextFor(key: TaskTryKey, host: { hostname: string; pid: number }, params: JsonObject, xcomMaxBytes: number | null): TaskRunContextData {
  const now = new Date().toISOString();
  return {
    dagRun: {
      dagId: key.dagId,
      runId: key.runId,
      runType: 'manual',
      state: 'running',
      logicalDate: now,
      dataIntervalStart: now,
      dataIntervalEnd: now,
      runAfter: now,
      startDate: now,
      conf: {},
    },
    ti: { ...key, maxTries: 1, state: 'running', hostname: host.hostname, pid: host.pid, pool: 'default_pool', queue: 'default', priorityWeight: 1, startDate: now },
    previous: { prevDataIntervalStartSuccess: null, prevDataIntervalEndSuccess: null, prevStartDateSuccess: null, prevEndDateSuccess: null },
    params,
    xcomMaxBytes,
  };
}
