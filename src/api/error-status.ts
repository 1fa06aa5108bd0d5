import type { ErrorCode } from '../contracts/errors.ts';

/**
 * The one table from Updraft error codes to HTTP statuses. Codes not listed fall back by family
 * (`*_NOT_FOUND` 404, `*_INVALID*` 400); anything else is a server fault (500).
 */
const STATUS_BY_CODE: Partial<Record<ErrorCode, number>> = {
  INVALID_ARGUMENT: 400,
  INVALID_STATE_TRANSITION: 409,
  CONN_INVALID_URI: 400,
  DAG_INVALID_PARAMS: 400,
  VARIABLE_NOT_JSON: 400,
  TEMPLATE_ERROR: 400,
  DAG_RUN_EXISTS: 409,
  USER_EXISTS: 409,
  TOKEN_EXISTS: 409,
  AUTH_REQUIRED: 401,
  AUTH_FAILED: 401,
  AUTH_FORBIDDEN: 403,
  AUTH_CSRF_FAILED: 403,
  AUTH_RATE_LIMITED: 429,
  REQUEST_TOO_LARGE: 413,
  XCOM_TOO_LARGE: 413,
  DB_CONNECTION_FAILED: 503,
  DB_NOT_MIGRATED: 503,
};

export function httpStatusFor(code: ErrorCode): number {
  const listed = STATUS_BY_CODE[code];
  if (listed !== undefined) return listed;
  if (code.endsWith('_NOT_FOUND')) return 404;
  if (code.startsWith('INVALID_') || code.startsWith('DAG_INVALID_')) return 400;
  return 500;
}
