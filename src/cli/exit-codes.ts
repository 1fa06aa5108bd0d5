import type { ErrorCode } from '../contracts/errors.ts';

/** Exit codes by error family, so scripts can tell "bad input" from "not found" from "run failed". */
export const EXIT = { ok: 0, failed: 1, usage: 2, notFound: 3, environment: 4 } as const;

export function exitCodeFor(code: ErrorCode): number {
  if (code.endsWith('_NOT_FOUND')) return EXIT.notFound;
  if (code.startsWith('DB_') || code.startsWith('CONFIG_') || code.startsWith('SECRET_')) return EXIT.environment;
  if (code === 'INVALID_ARGUMENT' || code === 'CONN_INVALID_URI' || code.startsWith('DAG_INVALID') || code === 'DAG_RUN_EXISTS') return EXIT.usage;
  return EXIT.failed;
}
