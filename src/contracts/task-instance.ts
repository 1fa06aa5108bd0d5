import type { JsonObject } from './json.ts';
import type { DagRunState, DagRunType, TaskInstanceState } from './states.ts';

/** Identifies a task instance. `mapIndex` is -1 for unmapped tasks (Airflow's convention). */
export interface TaskInstanceKey {
  dagId: string;
  runId: string;
  taskId: string;
  mapIndex: number;
}

/** Identifies one try of a task instance. Try numbers start at 1. */
export interface TaskTryKey extends TaskInstanceKey {
  tryNumber: number;
}

/** A try key as one string, for maps and sets of tries. */
export function tryIdOf(key: TaskTryKey): string {
  return JSON.stringify([key.dagId, key.runId, key.taskId, key.mapIndex, key.tryNumber]);
}

/** What a task needs to know about its DAG run to build the template context. Dates are ISO-8601 UTC. */
export interface DagRunInfo {
  dagId: string;
  runId: string;
  runType: DagRunType;
  state: DagRunState;
  logicalDate: string | null;
  dataIntervalStart: string | null;
  dataIntervalEnd: string | null;
  runAfter: string;
  startDate: string | null;
  conf: JsonObject;
}

export interface TaskInstanceInfo extends TaskTryKey {
  maxTries: number;
  state: TaskInstanceState;
  hostname: string;
  pid: number | null;
  pool: string;
  queue: string;
  priorityWeight: number;
  startDate: string | null;
}

/** Facts about earlier runs that templates may ask for (`prev_data_interval_start_success`...). */
export interface PreviousRunInfo {
  prevDataIntervalStartSuccess: string | null;
  prevDataIntervalEndSuccess: string | null;
  prevStartDateSuccess: string | null;
  prevEndDateSuccess: string | null;
}

/** Everything a task try needs that lives in the store, handed over when the try starts. */
export interface TaskRunContextData {
  dagRun: DagRunInfo;
  ti: TaskInstanceInfo;
  previous: PreviousRunInfo;
  /** Params after merging DAG defaults with the run's conf, validated. */
  params: JsonObject;
  /**
   * The largest XCom the store accepts (core.xcom_max_size_bytes), so the task can check its
   * return value before it reports success and its callbacks see the right outcome; null when
   * nothing is stored (dry runs).
   */
  xcomMaxBytes: number | null;
}
