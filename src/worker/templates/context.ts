import { hostname } from 'node:os';
import type { ConnectionData } from '../../contracts/connection.ts';
import { UpdraftError } from '../../contracts/errors.ts';
import { toXComValue } from '../../contracts/xcom-value.ts';
import type { JsonObject, JsonValue } from '../../contracts/json.ts';
import type { XComQuery } from '../../contracts/task-execution-api.ts';
import type { TaskRunContextData } from '../../contracts/task-instance.ts';
import { ContextDateTime, type ContextDag, type ContextTask, type Macros, type TaskContext, type TaskInstanceHandle, type XComPullQuery } from '../../sdk/index.ts';

/** What the context needs from outside the task process (the supervisor, over IPC). */
export interface TaskServices {
  getVariable(key: string): Promise<string | null>;
  getConnection(connId: string): Promise<ConnectionData | null>;
  pushXCom(key: string, value: JsonValue): Promise<void>;
  pullXCom(query: XComQuery): Promise<JsonValue | undefined>;
}

export interface TaskContextInput {
  dag: ContextDag;
  task: ContextTask;
  run: TaskRunContextData;
  services: TaskServices;
  macros: Macros;
}

/** A context plus the XCom pushes it started, so the runner can wait for pushes nobody awaited. */
export interface BuiltTaskContext {
  context: TaskContext;
  pendingPushes: Set<Promise<void>>;
}

/** Builds Airflow's task context from the run data the supervisor handed over. */
export function buildTaskContext(input: TaskContextInput): BuiltTaskContext {
  const { run, services } = input;
  const date = (iso: string | null): ContextDateTime | null => (iso === null ? null : ContextDateTime.fromISO(iso));
  // Airflow 3 manual runs may have no logical date; templates then use the time the run was due.
  const logical = ContextDateTime.fromISO(run.dagRun.logicalDate ?? run.dagRun.runAfter);
  const intervalStart = date(run.dagRun.dataIntervalStart) ?? logical;
  const intervalEnd = date(run.dagRun.dataIntervalEnd) ?? logical;
  const dagRun = {
    dag_id: run.dagRun.dagId,
    run_id: run.dagRun.runId,
    run_type: run.dagRun.runType,
    state: run.dagRun.state,
    logical_date: logical,
    data_interval_start: intervalStart,
    data_interval_end: intervalEnd,
    run_after: ContextDateTime.fromISO(run.dagRun.runAfter),
    start_date: date(run.dagRun.startDate),
    conf: run.dagRun.conf,
  };
  const pendingPushes = new Set<Promise<void>>();
  // Copied when first read, so that a task changing its params changes only its own; most never read them.
  let params: JsonObject | undefined;
  const ti = taskInstanceHandle(run, services, pendingPushes, date(run.ti.startDate));
  const variables = {
    value: { get: async (key: string, defaultValue?: string) => (await services.getVariable(key)) ?? orMissing(defaultValue, variableMissing(key)) },
    json: {
      get: async <T = JsonValue>(key: string, defaultValue?: T): Promise<T> => {
        const raw = await services.getVariable(key);
        return raw === null ? orMissing(defaultValue, variableMissing(key)) : (parseVariableJson(key, raw) as T);
      },
    },
  };
  const connections = {
    get: async (connId: string): Promise<ConnectionData> => {
      const connection = await services.getConnection(connId);
      if (connection === null) throw connectionMissing(connId);
      return connection;
    },
  };
  const context: TaskContext = {
    // Formatted when read: most tasks never look at them.
    get ds() {
      return logical.strftime('%Y-%m-%d');
    },
    get ds_nodash() {
      return logical.strftime('%Y%m%d');
    },
    get ts() {
      return logical.isoformat();
    },
    get ts_nodash() {
      return logical.strftime('%Y%m%dT%H%M%S');
    },
    get ts_nodash_with_tz() {
      return logical.strftime('%Y%m%dT%H%M%S%z');
    },
    logical_date: logical,
    data_interval_start: intervalStart,
    data_interval_end: intervalEnd,
    prev_data_interval_start_success: date(run.previous.prevDataIntervalStartSuccess),
    prev_data_interval_end_success: date(run.previous.prevDataIntervalEndSuccess),
    prev_start_date_success: date(run.previous.prevStartDateSuccess),
    prev_end_date_success: date(run.previous.prevEndDateSuccess),
    run_id: run.dagRun.runId,
    dag_run: dagRun,
    dag: input.dag,
    task: input.task,
    ti,
    task_instance: ti,
    get params(): JsonObject {
      return (params ??= structuredClone(run.params) as JsonObject);
    },
    set params(value: JsonObject) {
      params = value;
    },
    var: variables,
    conn: connections,
    macros: input.macros,
    logicalDate: logical,
    dataIntervalStart: intervalStart,
    dataIntervalEnd: intervalEnd,
    runId: run.dagRun.runId,
    dagRun,
  };
  return { context, pendingPushes };
}

function taskInstanceHandle(run: TaskRunContextData, services: TaskServices, pending: Set<Promise<void>>, startDate: ContextDateTime | null): TaskInstanceHandle {
  const { ti } = run;
  const pull = async (query: XComPullQuery): Promise<unknown> => {
    const one = (taskId: string) =>
      services.pullXCom({ dagId: query.dagId ?? ti.dagId, runId: query.runId ?? ti.runId, taskId, key: query.key ?? 'return_value', mapIndex: -1 });
    return Array.isArray(query.taskIds) ? Promise.all(query.taskIds.map(one)) : one(query.taskIds);
  };
  return {
    dag_id: ti.dagId,
    task_id: ti.taskId,
    run_id: ti.runId,
    map_index: ti.mapIndex,
    try_number: ti.tryNumber,
    max_tries: ti.maxTries,
    hostname: ti.hostname || hostname(),
    start_date: startDate,
    dagId: ti.dagId,
    taskId: ti.taskId,
    runId: ti.runId,
    tryNumber: ti.tryNumber,
    maxTries: ti.maxTries,
    startDate,
    xcomPush(key: string, value: unknown): Promise<void> {
      const push = services.pushXCom(key, toXComValue(value, { maxBytes: null, taskId: ti.taskId, key }));
      pending.add(push);
      return push.finally(() => pending.delete(push));
    },
    xcomPull: pull as TaskInstanceHandle['xcomPull'],
  };
}

export function variableMissing(key: string): UpdraftError {
  return new UpdraftError('VARIABLE_NOT_FOUND', `Variable "${key}" does not exist`, {
    hint: `Create it (updraft variables set ${key} <value>) or give a default`,
    details: { key },
  });
}

export function connectionMissing(connId: string): UpdraftError {
  return new UpdraftError('CONN_NOT_FOUND', `Connection "${connId}" does not exist`, {
    hint: `Create it (updraft connections add ${connId} ...)`,
    details: { connId },
  });
}

export function parseVariableJson(key: string, raw: string): JsonValue {
  try {
    return JSON.parse(raw) as JsonValue;
  } catch {
    throw new UpdraftError('VARIABLE_NOT_JSON', `Variable "${key}" does not hold JSON`, { hint: 'Read it with var.value instead, or store valid JSON', details: { key } });
  }
}

function orMissing<T>(defaultValue: T | undefined, error: UpdraftError): T {
  if (defaultValue === undefined) throw error;
  return defaultValue;
}
