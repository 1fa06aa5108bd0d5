import type { ConnectionData } from '../contracts/connection.ts';
import type { JsonObject, JsonValue } from '../contracts/json.ts';
import type { DagRunState, DagRunType } from '../contracts/states.ts';
import type { ContextDateTime } from './context-datetime.ts';

/**
 * The context a task receives in `execute(context)`, in callbacks and from `getCurrentContext()`.
 * Names follow Airflow's template context so that code and templates read the same; a few
 * camelCase aliases are provided for TypeScript code.
 */
export interface TaskContext {
  /** Logical date as `YYYY-MM-DD`. */
  ds: string;
  /** Logical date as `YYYYMMDD`. */
  ds_nodash: string;
  /** Logical date as `2015-06-01T00:00:00+00:00`. */
  ts: string;
  /** Logical date as `20150601T000000`. */
  ts_nodash: string;
  /** Logical date as `20150601T000000+0000`. */
  ts_nodash_with_tz: string;
  /** The run's logical date; for runs without one (Airflow 3 manual runs) the time the run was due. */
  logical_date: ContextDateTime;
  data_interval_start: ContextDateTime;
  data_interval_end: ContextDateTime;
  prev_data_interval_start_success: ContextDateTime | null;
  prev_data_interval_end_success: ContextDateTime | null;
  prev_start_date_success: ContextDateTime | null;
  prev_end_date_success: ContextDateTime | null;
  run_id: string;
  dag_run: DagRunContext;
  dag: ContextDag;
  task: ContextTask;
  ti: TaskInstanceHandle;
  task_instance: TaskInstanceHandle;
  /** The run's params: DAG defaults overridden by the trigger's conf, validated. */
  params: JsonObject;
  /** Variables. In templates `{{ var.value.key }}` / `{{ var.json.key.field }}` read them directly. */
  var: VariableAccessor;
  /** Connections. In templates `{{ conn.my_db.host }}` reads them directly. */
  conn: ConnectionAccessor;
  macros: Macros;
  /** camelCase aliases of the Airflow names above. */
  logicalDate: ContextDateTime;
  dataIntervalStart: ContextDateTime;
  dataIntervalEnd: ContextDateTime;
  runId: string;
  dagRun: DagRunContext;
}

/** What callbacks receive: the task context plus the error for failure and retry callbacks. */
export interface TaskCallbackContext extends TaskContext {
  exception: unknown;
}

export interface DagRunContext {
  dag_id: string;
  run_id: string;
  run_type: DagRunType;
  state: DagRunState;
  logical_date: ContextDateTime;
  data_interval_start: ContextDateTime;
  data_interval_end: ContextDateTime;
  run_after: ContextDateTime;
  start_date: ContextDateTime | null;
  /** The JSON the run was triggered with. */
  conf: JsonObject;
}

/** The parts of the DAG a running task can see. */
export interface ContextDag {
  readonly dagId: string;
  readonly fileloc: string;
  readonly timezone: string;
}

/** The parts of the task a running task can see (the operator itself is passed at run time). */
export interface ContextTask {
  readonly taskId: string;
  readonly dagId: string;
  readonly operatorName: string;
}

export interface XComPullQuery<Ids extends string | string[] = string | string[]> {
  taskIds: Ids;
  /** Defaults to `return_value`. */
  key?: string;
  /** Defaults to the current DAG and run. */
  dagId?: string;
  runId?: string;
}

export interface TaskInstanceHandle {
  readonly dag_id: string;
  readonly task_id: string;
  readonly run_id: string;
  readonly map_index: number;
  readonly try_number: number;
  readonly max_tries: number;
  readonly hostname: string;
  readonly start_date: ContextDateTime | null;
  readonly dagId: string;
  readonly taskId: string;
  readonly runId: string;
  readonly tryNumber: number;
  readonly maxTries: number;
  /** When the task instance started; for a rescheduled sensor, when its first poke started. */
  readonly startDate: ContextDateTime | null;
  /** Stores a JSON value under `key` for downstream tasks. The task waits for pushes before it ends. */
  xcomPush(key: string, value: unknown): Promise<void>;
  /** Reads a value pushed by another task of this run (undefined when there is none). */
  xcomPull<T = JsonValue>(query: XComPullQuery<string>): Promise<T | undefined>;
  xcomPull<T = JsonValue>(query: XComPullQuery<string[]>): Promise<(T | undefined)[]>;
}

export interface VariableAccessor {
  value: { get(key: string, defaultValue?: string): Promise<string> };
  json: { get<T = JsonValue>(key: string, defaultValue?: T): Promise<T> };
}

export interface ConnectionAccessor {
  get(connId: string): Promise<ConnectionData>;
}

/** Airflow's `macros`, plus the DAG's `userDefinedMacros` under their own names. */
export interface Macros {
  /** Adds days to a `YYYY-MM-DD` date: `ds_add('2015-06-01', 7)` is `2015-06-08`. */
  ds_add(ds: string, days: number): string;
  /** Reformats a date string with Python strftime codes. */
  ds_format(ds: string, inputFormat: string, outputFormat: string): string;
  datetime: {
    now(): ContextDateTime;
    utcnow(): ContextDateTime;
    fromisoformat(text: string): ContextDateTime;
    strptime(text: string, format: string): ContextDateTime;
  };
  /** A float in [0, 1), like Python's `random.random()`. */
  random(): number;
  uuid4(): string;
  json: { dumps(value: unknown): string; loads(text: string): unknown };
  [userMacro: string]: unknown;
}
