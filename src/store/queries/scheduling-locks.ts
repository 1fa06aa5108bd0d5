import type { SelectQueryBuilder } from 'kysely';
import { dialectOf } from '../dialects/dialect-name.ts';
import type { Database } from '../schema.ts';
import type { Executor } from './executor.ts';

/**
 * Locks the rows a scheduler claims, where the database has row locks:
 * - Postgres: `FOR NO KEY UPDATE [SKIP LOCKED]`, as Airflow's `with_row_locks` does (key_share).
 *   Claims only ever change non-key columns (states, stamps, next_dagrun_*), and two such locks
 *   still exclude each other, so two schedulers never claim the same row. `FOR UPDATE` would also
 *   block the foreign-key checks (`FOR KEY SHARE`) of rows inserted under the claimed ones: a
 *   trigger's dag_run waited for the run-creation claim of its DAG to commit, up to 30 ms a time.
 * - MySQL/MariaDB: `FOR UPDATE [SKIP LOCKED]` (no weaker exclusive lock; SKIP LOCKED from 10.6).
 * - SQLite: nothing (and no such syntax). One writer at a time, so a single scheduler, and its
 *   IMMEDIATE transactions already exclude every other writer.
 * Lock only the rows of the statement's own table: filters on other tables are written as
 * subqueries, which neither Postgres nor InnoDB lock.
 */
export function lockRows<DB extends Database, TB extends keyof DB, O>(
  db: Executor,
  query: SelectQueryBuilder<DB, TB, O>,
  mode: 'skip_locked' | 'wait',
): SelectQueryBuilder<DB, TB, O> {
  const dialect = dialectOf(db);
  if (dialect === 'sqlite') return query;
  const locked = dialect === 'postgres' ? query.forNoKeyUpdate() : query.forUpdate();
  return mode === 'skip_locked' ? locked.skipLocked() : locked;
}
