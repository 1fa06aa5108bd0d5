/**
 * Every failure Updraft reports carries a stable code. The API maps codes to HTTP statuses once,
 * the CLI maps them to an exit code and a one-line hint; nothing else inspects messages.
 */
export const ERROR_CODES = {
  // Authoring / definition time
  DAG_CYCLE: 'A DAG contains a dependency cycle',
  DAG_DUPLICATE_TASK_ID: 'Two tasks in one DAG share an id',
  DAG_DUPLICATE_ID: 'Two DAGs share an id',
  DAG_INVALID_ID: 'A DAG or task id has characters that are not allowed',
  DAG_INVALID_TRIGGER_RULE: 'A task names a trigger rule that does not exist',
  DAG_INVALID_SCHEDULE: 'A schedule is not a preset, cron expression, duration or null',
  DAG_INVALID_DATES: 'The DAG end date is before its start date',
  DAG_INVALID_TIMEZONE: 'A timezone name is not an IANA zone',
  DAG_INVALID_PARAMS: 'Params do not satisfy their JSON Schema',
  DAG_INVALID_OPTION: 'A DAG or task option has a wrong type or value',
  DAG_IMPORT_FAILED: 'A DAG file could not be imported',
  DAG_IMPORT_TIMEOUT: 'A DAG file took too long to import',
  DAG_NOT_FOUND: 'No DAG with that id is known',
  TASK_NOT_FOUND: 'No task with that id exists in the DAG',
  DAG_RUN_NOT_FOUND: 'No DAG run with that id exists',
  DAG_RUN_EXISTS: 'A DAG run with that run id or logical date already exists',
  TASK_INSTANCE_NOT_FOUND: 'No task instance with that key exists',
  // Runtime
  TASK_FAILED: 'A task failed',
  TASK_TIMEOUT: 'A task ran longer than its execution timeout',
  TASK_SKIPPED: 'A task asked to be skipped',
  TASK_PROCESS_DIED: 'The task process exited without reporting a result',
  TASK_LOG_UNAVAILABLE: "A try's log file could not be created",
  TEMPLATE_ERROR: 'A template could not be rendered',
  TEMPLATE_NOT_FOUND: 'A template file could not be found',
  XCOM_TOO_LARGE: 'An XCom value is larger than the configured bound',
  XCOM_NOT_JSON: 'An XCom value cannot be represented as JSON',
  XCOM_NOT_FOUND: 'An XCom value that a task needs is missing',
  VARIABLE_NOT_FOUND: 'No variable with that key exists',
  VARIABLE_NOT_JSON: 'A variable read as JSON does not hold JSON',
  CONN_NOT_FOUND: 'No connection with that id exists',
  CONN_INVALID_URI: 'A connection URI cannot be parsed',
  POOL_NOT_FOUND: 'No pool with that name exists',
  INVALID_STATE_TRANSITION: 'A state change is not allowed from the current state',
  // Configuration and storage
  CONFIG_INVALID: 'A configuration value is invalid',
  CONFIG_UNKNOWN_KEY: 'A configuration key does not exist',
  DB_UNSUPPORTED_URL: 'The database URL names an unsupported database',
  DB_NOT_MIGRATED: 'The metadata database schema is not up to date',
  DB_CONNECTION_FAILED: 'The metadata database cannot be reached',
  SECRET_KEY_MISSING: 'No encryption key is configured for secrets',
  SECRET_DECRYPT_FAILED: 'A stored secret cannot be decrypted with the configured key',
  INVALID_ARGUMENT: 'A command or request argument is invalid',
  INTERNAL: 'An unexpected internal error',
  NO_TASK_CONTEXT: 'The current task context was requested outside a running task',
  TASK_PROCESS_POOL_CLOSED: 'A task process was requested from a pool that is closed',
  EXECUTOR_NOT_RUNNING: 'An executor was handed work before start() or after stop()',
  EXECUTOR_FULL: 'An executor was handed more workloads than it has free slots',
  // API and authentication
  AUTH_REQUIRED: 'The request carries no valid session or API token',
  AUTH_FAILED: 'The username or password is wrong',
  AUTH_FORBIDDEN: "The user's role does not allow this action",
  AUTH_CSRF_FAILED: 'A cookie-authenticated write did not carry the session CSRF token',
  AUTH_RATE_LIMITED: 'Too many failed logins for this user; wait before trying again',
  USER_NOT_FOUND: 'No user with that username exists',
  USER_EXISTS: 'A user with that username already exists',
  TOKEN_EXISTS: 'The user already has an API token with that name',
  TOKEN_NOT_FOUND: 'No API token with that name exists',
  ROUTE_NOT_FOUND: 'No API endpoint at that path and method',
  REQUEST_TOO_LARGE: 'The request body is larger than the server accepts',
  LOG_NOT_FOUND: 'No log exists for that task try',
  DAG_VERSION_NOT_FOUND: 'No version with that number exists for the DAG',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface UpdraftErrorOptions {
  /** One line telling the user how to fix the problem. */
  hint?: string;
  /** Structured facts about the failure (file, task id, field...). Must be JSON-serialisable. */
  details?: Record<string, unknown>;
  cause?: unknown;
}

export class UpdraftError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: UpdraftErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'UpdraftError';
    this.code = code;
    this.hint = options.hint;
    this.details = options.details ?? {};
  }

  /** The plain-object form used across process boundaries (IPC, HTTP). */
  toJSON(): SerializedError {
    return { code: this.code, message: this.message, hint: this.hint, details: this.details };
  }
}

export interface SerializedError {
  code: ErrorCode;
  message: string;
  hint?: string | undefined;
  details?: Record<string, unknown>;
  stack?: string | undefined;
}

export function isUpdraftError(value: unknown): value is UpdraftError {
  return value instanceof UpdraftError;
}

/** Turns anything thrown into a serialisable error, keeping the code when there is one. */
export function serializeError(error: unknown): SerializedError {
  if (error instanceof UpdraftError) return { ...error.toJSON(), stack: error.stack };
  if (error instanceof Error) return { code: 'INTERNAL', message: error.message, stack: error.stack };
  return { code: 'INTERNAL', message: String(error) };
}

export function deserializeError(data: SerializedError): UpdraftError {
  const error = new UpdraftError(data.code, data.message, { hint: data.hint, details: data.details ?? {} });
  if (data.stack !== undefined) error.stack = data.stack;
  return error;
}
