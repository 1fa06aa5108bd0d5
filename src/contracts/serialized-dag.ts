import type { JsonObject, JsonValue } from './json.ts';
import type { SensorMode, TriggerRule, WeightRule } from './states.ts';

/**
 * The serialized DAG is the only form of a DAG that the scheduler, the API and the UI ever see:
 * they never import user code. Bump SERIALIZED_DAG_FORMAT when a change is not backward compatible.
 */
export const SERIALIZED_DAG_FORMAT = 1;

/** A calendar-aware length of time, in Luxon's units (`{ days: 1 }`, `{ months: 1 }`). */
export interface DurationSpec {
  years?: number;
  months?: number;
  weeks?: number;
  days?: number;
  hours?: number;
  minutes?: number;
  seconds?: number;
}

/**
 * How runs are laid out in time.
 * - `none`: manual runs only (`schedule: null`).
 * - `once`: a single run at the start date.
 * - `cron`: Airflow 3's CronTriggerTimetable: a run at each tick, logical date = tick, empty data interval.
 *   Presets (`@daily`...) become this kind.
 * - `interval_cron`: Airflow 2's CronDataIntervalTimetable: a run covers [previous tick, tick) and starts
 *   once the interval has closed; logical date = interval start.
 * - `delta`: a fixed duration that builds data intervals [start, start + duration), run after the end.
 */
export type SerializedTimetable =
  | { kind: 'none'; summary: string }
  | { kind: 'once'; summary: string }
  | { kind: 'cron'; expression: string; timezone: string; summary: string }
  | { kind: 'interval_cron'; expression: string; timezone: string; summary: string }
  | { kind: 'delta'; duration: DurationSpec; timezone: string; summary: string };

/** A DAG param: a default and the JSON Schema that values must satisfy (Airflow's `Param`). */
export interface SerializedParam {
  default?: JsonValue;
  description?: string;
  schema: JsonObject;
}

export interface SerializedSensorOptions {
  pokeIntervalSeconds: number;
  timeoutSeconds: number;
  mode: SensorMode;
  softFail: boolean;
  exponentialBackoff: boolean;
  maxWaitSeconds: number | null;
}

export interface SerializedCallbacks {
  onSuccess: boolean;
  onFailure: boolean;
  onRetry: boolean;
  onExecute: boolean;
}

export interface SerializedTask {
  taskId: string;
  /** Operator class name, e.g. `BashOperator`, or `@task` for TaskFlow functions. */
  operator: string;
  upstream: string[];
  downstream: string[];
  triggerRule: TriggerRule;
  retries: number;
  retryDelaySeconds: number;
  retryExponentialBackoff: boolean;
  maxRetryDelaySeconds: number | null;
  executionTimeoutSeconds: number | null;
  dependsOnPast: boolean;
  waitForDownstream: boolean;
  pool: string;
  poolSlots: number;
  priorityWeight: number;
  weightRule: WeightRule;
  queue: string;
  /** Executor name for this task; null means the configured default executor. */
  executor: string | null;
  /** `pool` runs in a warm, reused task process; `process` asks for a fresh process of its own. */
  isolation: 'pool' | 'process';
  owner: string;
  email: string[];
  emailOnFailure: boolean;
  emailOnRetry: boolean;
  /** Names of the fields rendered as templates before execution. */
  templateFields: string[];
  /** The unrendered values of those fields, JSON-safe, for display. */
  templateFieldValues: Record<string, JsonValue>;
  /** Extensions of template fields that are read from files in the DAG folder (`.sh`, `.sql`). */
  templateExt: string[];
  /** Task group id (`extract` for `extract.download`), null at the top level. */
  group: string | null;
  /** Branching tasks return the task ids to follow; others downstream of them are skipped. */
  isBranch: boolean;
  isShortCircuit: boolean;
  sensor: SerializedSensorOptions | null;
  callbacks: SerializedCallbacks;
  /** Task ids whose return value this task receives as arguments (TaskFlow). */
  xcomInputs: string[];
  doc: string | null;
  uiColor: string;
}

export interface SerializedTaskGroup {
  groupId: string;
  parent: string | null;
  tooltip: string;
  children: string[];
}

export interface SerializedDag {
  format: typeof SERIALIZED_DAG_FORMAT;
  dagId: string;
  /** Absolute path of the file that defines the DAG. */
  fileloc: string;
  timetable: SerializedTimetable;
  /** ISO-8601 instants (UTC). */
  startDate: string | null;
  endDate: string | null;
  timezone: string;
  catchup: boolean;
  tags: string[];
  owner: string;
  description: string | null;
  docMd: string | null;
  params: Record<string, SerializedParam>;
  maxActiveRuns: number;
  maxActiveTasks: number;
  dagrunTimeoutSeconds: number | null;
  isPausedUponCreation: boolean | null;
  templateSearchpath: string[];
  /** Names of user macros; the functions themselves exist only where user code runs. */
  userDefinedMacros: string[];
  tasks: SerializedTask[];
  taskGroups: SerializedTaskGroup[];
}
