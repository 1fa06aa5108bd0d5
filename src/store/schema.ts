import type { ColumnType, Generated } from 'kysely';

/**
 * The metadata schema, one interface per table, shared by all three dialects.
 * Conventions that keep the dialects identical:
 * - instants are epoch milliseconds (UTC) in BIGINT columns, named like Airflow's (`start_date`);
 * - booleans are 0/1 integers;
 * - JSON is stored as text and parsed in the query functions;
 * - ids (dag_id, run_id, task_id) are at most 250 characters, as in Airflow.
 */
type Millis = number;
type Flag = 0 | 1;

export interface DagTable {
  dag_id: string;
  fileloc: string;
  is_paused: Flag;
  /** 0 once the file defining the DAG is gone or stopped defining it. */
  is_active: Flag;
  last_parsed_at: Millis;
  owners: string;
  description: string | null;
  timetable_summary: string;
  max_active_runs: number;
  max_active_tasks: number;
  /** Hash of the newest serialized version. */
  latest_version_hash: string;
  /** Scheduling bookkeeping, filled by the scheduler. */
  next_dagrun_logical_date: Millis | null;
  next_dagrun_data_interval_start: Millis | null;
  next_dagrun_data_interval_end: Millis | null;
  next_dagrun_create_after: Millis | null;
  /** Hash of what lays out the DAG's runs (timetable, start/end dates, catchup); see migration 0002. */
  schedule_key: string | null;
  /** The schedule_key that next_dagrun_* were computed with; stale when it differs. */
  next_dagrun_schedule_key: string | null;
}

export interface DagTagTable {
  dag_id: string;
  name: string;
}

export interface SerializedDagTable {
  dag_id: string;
  /** sha256 of the serialized JSON; a new hash is a new version. */
  version_hash: string;
  /** 1, 2, 3... per DAG, in order of appearance. */
  version_number: number;
  fileloc: string;
  /** SerializedDag as JSON. */
  data: string;
  /** The DAG file's source at the time, for the code view. */
  source_code: string;
  created_at: Millis;
}

export interface DagRunTable {
  id: Generated<number>;
  dag_id: string;
  run_id: string;
  run_type: string;
  state: string;
  logical_date: Millis | null;
  data_interval_start: Millis | null;
  data_interval_end: Millis | null;
  run_after: Millis;
  queued_at: Millis | null;
  start_date: Millis | null;
  end_date: Millis | null;
  /** JSON object. */
  conf: string;
  note: string | null;
  dag_version_hash: string;
  triggered_by: string;
  clear_number: ColumnType<number, number | undefined, number>;
  last_scheduling_decision: Millis | null;
}

export interface TaskInstanceTable {
  dag_id: string;
  run_id: string;
  task_id: string;
  map_index: number;
  /** The current (or last) try; 0 before the first try starts. */
  try_number: number;
  max_tries: number;
  state: string;
  start_date: Millis | null;
  end_date: Millis | null;
  duration_ms: number | null;
  hostname: string;
  pid: number | null;
  pool: string;
  pool_slots: number;
  queue: string;
  priority_weight: number;
  operator: string;
  executor: string | null;
  queued_at: Millis | null;
  scheduled_at: Millis | null;
  /** When an up_for_retry or up_for_reschedule TI may run again. */
  next_attempt_at: Millis | null;
  last_heartbeat_at: Millis | null;
  dag_version_hash: string;
  note: string | null;
  /** The scheduler job that queued the current try (migration 0002). */
  queued_by_job_id: number | null;
  /** The run's logical date, copied for the claim of scheduled task instances (migration 0006). */
  run_logical_date: Millis | null;
}

/** One row per try, including the current one: the tries history. */
export interface TaskInstanceTryTable {
  dag_id: string;
  run_id: string;
  task_id: string;
  map_index: number;
  try_number: number;
  state: string;
  start_date: Millis | null;
  end_date: Millis | null;
  duration_ms: number | null;
  hostname: string;
  pid: number | null;
  executor: string | null;
  pool: string;
  queue: string;
  operator: string;
  /** JSON object of rendered template fields. */
  rendered_fields: string | null;
  /** Log file path relative to the logs folder. */
  log_path: string;
  /** JSON SerializedError when the try failed. */
  error: string | null;
}

export interface TaskRescheduleTable {
  id: Generated<number>;
  dag_id: string;
  run_id: string;
  task_id: string;
  map_index: number;
  try_number: number;
  start_date: Millis;
  end_date: Millis;
  reschedule_date: Millis;
}

export interface XComTable {
  dag_run_id: number;
  /** Denormalised for listing XComs without a join. */
  dag_id: string;
  run_id: string;
  task_id: string;
  map_index: number;
  key: string;
  /** JSON. */
  value: string;
  timestamp: Millis;
}

export interface VariableTable {
  key: string;
  /** Encrypted when is_encrypted = 1. */
  val: string;
  description: string | null;
  is_encrypted: Flag;
}

export interface ConnectionTable {
  conn_id: string;
  conn_type: string;
  description: string | null;
  host: string | null;
  schema: string | null;
  login: string | null;
  /** AES-256-GCM ciphertext, see store/crypto. */
  password: string | null;
  port: number | null;
  /** AES-256-GCM ciphertext of a JSON object. */
  extra: string | null;
}

export interface SlotPoolTable {
  pool: string;
  slots: number;
  description: string | null;
  include_deferred: Flag;
}

export interface ImportErrorTable {
  /** Absolute path of the DAG file; one error per file. */
  filename: string;
  message: string;
  stacktrace: string;
  error_code: string;
  timestamp: Millis;
}

export interface JobTable {
  id: Generated<number>;
  job_type: string;
  state: string;
  hostname: string;
  pid: number;
  start_date: Millis;
  end_date: Millis | null;
  latest_heartbeat: Millis;
}

/** A person or service account that may use the API and UI (Airflow's FAB user). */
export interface UserAccountTable {
  username: string;
  /** `scrypt$N$r$p$salt$hash`, see src/auth/password.ts. */
  password_hash: string;
  /** Admin, Op, User or Viewer. */
  role: string;
  first_name: string;
  last_name: string;
  email: string;
  created_at: Millis;
  last_login: Millis | null;
}

/** A browser session; the cookie holds the id, the table only its sha256. */
export interface UserSessionTable {
  session_hash: string;
  username: string;
  csrf_token: string;
  created_at: Millis;
  expires_at: Millis;
}

/** An API bearer token; only its sha256 is stored. */
export interface ApiTokenTable {
  token_hash: string;
  username: string;
  name: string;
  created_at: Millis;
  expires_at: Millis | null;
  last_used_at: Millis | null;
}

export interface Database {
  dag: DagTable;
  dag_tag: DagTagTable;
  serialized_dag: SerializedDagTable;
  dag_run: DagRunTable;
  task_instance: TaskInstanceTable;
  task_instance_try: TaskInstanceTryTable;
  task_reschedule: TaskRescheduleTable;
  xcom: XComTable;
  variable: VariableTable;
  connection: ConnectionTable;
  slot_pool: SlotPoolTable;
  import_error: ImportErrorTable;
  job: JobTable;
  user_account: UserAccountTable;
  user_session: UserSessionTable;
  api_token: ApiTokenTable;
}
