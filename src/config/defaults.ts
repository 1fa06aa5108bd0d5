/**
 * Every configuration key with its default and meaning. This table is the single source for the
 * loader, for `updraft config get` and for the configuration section of the docs.
 * `{home}` expands to UPDRAFT_HOME (default ~/updraft).
 */
export interface ConfigKeySpec {
  type: 'string' | 'integer' | 'number' | 'boolean';
  default: string | number | boolean;
  description: string;
  /** Hidden from `config list` output (secrets). */
  secret?: boolean;
}

export const CONFIG_SPEC = {
  core: {
    dags_folder: { type: 'string', default: './dags', description: 'Folder scanned for DAG files.' },
    load_examples: { type: 'boolean', default: true, description: "Also load the example DAGs bundled with Updraft (examples/dags), as Airflow's load_examples does." },
    default_timezone: { type: 'string', default: 'UTC', description: 'Timezone of DAGs that do not name one.' },
    secret_key: {
      type: 'string',
      default: '',
      secret: true,
      description: 'Key that encrypts connection secrets and encrypted variables (AES-256-GCM). Empty: a key is generated once in {home}/secret.key.',
    },
    executor: { type: 'string', default: 'LocalExecutor', description: 'Default executor for tasks that do not name one.' },
    parallelism: { type: 'integer', default: 32, description: 'Task instances that may run at once per scheduler.' },
    max_active_tasks_per_dag: { type: 'integer', default: 16, description: 'Default maxActiveTasks of a DAG.' },
    max_active_runs_per_dag: { type: 'integer', default: 16, description: 'Default maxActiveRuns of a DAG.' },
    dags_are_paused_at_creation: { type: 'boolean', default: true, description: 'New DAGs start paused unless they set isPausedUponCreation.' },
    dag_import_timeout: { type: 'number', default: 30, description: 'Seconds a DAG file may take to import.' },
    xcom_max_size_bytes: { type: 'integer', default: 1_048_576, description: 'Largest XCom value, as JSON bytes.' },
    default_pool_slots: { type: 'integer', default: 128, description: 'Slots of default_pool when it is first created.' },
  },
  database: {
    url: {
      type: 'string',
      default: 'sqlite:///{home}/updraft.db',
      description: 'Metadata database: sqlite:///path, postgres://..., mysql://... (MySQL and MariaDB).',
      secret: true,
    },
    pool_size: { type: 'integer', default: 5, description: 'Connections per process for Postgres and MySQL.' },
  },
  logging: {
    base_log_folder: { type: 'string', default: '{home}/logs', description: 'Folder for task logs, one file per try.' },
    level: { type: 'string', default: 'info', description: 'Log level of Updraft components (pino levels).' },
  },
  worker: {
    pool_recycle_tasks: {
      type: 'integer',
      default: 10_000,
      description:
        'Warm task processes are replaced after this many tasks (memory growth is bounded by pool_recycle_rss_mb as well). Starting a process costs about 0.3 s of CPU, so a low value costs short tasks dearly.',
    },
    pool_recycle_rss_mb: { type: 'integer', default: 512, description: 'Warm task processes are replaced above this resident memory.' },
    kill_grace_seconds: { type: 'number', default: 5, description: 'Seconds between SIGTERM and SIGKILL when a task is killed.' },
  },
  executors: {
    warm_processes: {
      type: 'integer',
      default: 4,
      description:
        'Warm task processes the LocalExecutor keeps ready so a task starts in about a millisecond (more are started on demand up to core.parallelism); -1 keeps one per slot, 0 starts a fresh process for every task. Each warm process costs about 50 MB. The SequentialExecutor keeps at most one.',
    },
    burst_idle_seconds: {
      type: 'number',
      default: 60,
      description: 'Task processes started beyond warm_processes for a burst of tasks stay warm this long after their last task, so the next burst starts at once.',
    },
    spawn_wait_seconds: {
      type: 'number',
      default: 0.25,
      description:
        'When every warm task process is busy, a task whose turn is expected within this long (judged by how long recent tasks held their process) waits for one to come free instead of starting a new one. A new process costs about 0.3 s of CPU and is not ready sooner, so bursts of short tasks run faster on the warm ones. When no task has found an idle process for this long (a steady stream, not a burst), one more process is started. 0 always starts one.',
    },
  },
  scheduler: {
    task_heartbeat_timeout: { type: 'number', default: 300, description: 'Seconds without a heartbeat after which a running task is failed.' },
    task_queued_timeout: { type: 'number', default: 600, description: 'Seconds a task may stay queued before it is reset.' },
    poll_interval_seconds: { type: 'number', default: 5, description: 'Longest the scheduler sleeps between loops when no event wakes it (the safety net under event wake-ups).' },
    job_heartbeat_seconds: { type: 'number', default: 5, description: 'How often a scheduler records that it is alive.' },
    job_timeout_seconds: { type: 'number', default: 30, description: 'Seconds without a heartbeat after which a scheduler counts as dead and others reset the tasks it queued.' },
    liveness_check_interval_seconds: { type: 'number', default: 10, description: 'How often the scheduler looks for silent running tasks, stuck queued tasks and dead schedulers.' },
    max_dagruns_per_loop: { type: 'integer', default: 20, description: 'DAG runs (and DAGs) claimed per scheduling phase; bounds each transaction.' },
    max_tis_per_query: { type: 'integer', default: 256, description: 'Scheduled task instances claimed per queueing transaction.' },
    schedule_after_task_execution: {
      type: 'boolean',
      default: true,
      description:
        "Airflow's mini scheduler: on SQLite, the transaction that records the end of a task run by the scheduler's own executor also schedules and queues the tasks it unblocked, while fewer than four tasks run, which saves a chain of tasks a transaction and a scheduler wake-up per task. Postgres and MySQL schedule in the scheduler loop only.",
    },
  },
  dag_processor: {
    refresh_interval_seconds: {
      type: 'number',
      default: 60,
      description: 'Seconds between full rescans of the DAG folders, the safety net for changes the file watcher missed.',
    },
    parsing_processes: { type: 'integer', default: 2, description: 'Child processes that import DAG files side by side.' },
    watch_debounce_ms: { type: 'integer', default: 50, description: 'Milliseconds of file events collected into one batch before parsing.' },
    job_heartbeat_seconds: { type: 'number', default: 5, description: 'How often the DAG processor records that it is alive (its job heartbeat).' },
  },
  api: {
    host: { type: 'string', default: '0.0.0.0', description: 'Address the API server listens on.' },
    port: { type: 'integer', default: 8080, description: 'Port of the API server and web UI.' },
    secure_cookies: {
      type: 'boolean',
      default: false,
      description: 'Always mark session cookies Secure (they are anyway when the request came over https); set it behind a TLS-terminating proxy.',
    },
    session_ttl_minutes: { type: 'integer', default: 720, description: 'Minutes a browser session stays valid after login.' },
    max_body_bytes: { type: 'integer', default: 1_048_576, description: 'Largest request body the API accepts (larger ones get 413).' },
    events_poll_ms: { type: 'integer', default: 500, description: 'Milliseconds between the polls of the store behind the /api/v1/events stream.' },
  },
} as const satisfies Record<string, Record<string, ConfigKeySpec>>;

export type ConfigSpec = typeof CONFIG_SPEC;
export type ConfigSection = keyof ConfigSpec;

type ValueOf<S extends ConfigKeySpec> = S['type'] extends 'string'
  ? string
  : S['type'] extends 'boolean'
    ? boolean
    : number;

/** The resolved configuration: every key present with its final value. */
export type UpdraftConfig = {
  -readonly [Section in ConfigSection]: { -readonly [Key in keyof ConfigSpec[Section]]: ValueOf<ConfigSpec[Section][Key] & ConfigKeySpec> };
} & { home: string; configFile: string | null };
