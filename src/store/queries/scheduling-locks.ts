import type { SelectQueryBuilder } from 'kysely';
import { dialectOf } from '../dialects/dialect-name.ts';
import type { Database } from '../schema.ts';
import type { Executor } from './executor.ts';

/**
 * Adds `FOR UPDATE [SKIP LOCKED]` where the database has row locks. SQLite has none (and no such
 * syntax): one writer at a time, so a single scheduler, and its IMMEDIATE transactions already
 * exclude every other writer. MariaDB has SKIP LOCKED from 10.6. Lock only the rows of the
 * statement's own table: filters on other tables are written as subqueries, which neither
 * Postgres nor InnoDB lock.
 */
export function lockRows<DB extends Database, TB extends keyof DB, O>(
  db: Executor,
  query: SelectQueryBuilder<DB, TB, O>,
  mode: 'skip_locked' | 'wait',
): SelectQueryBuilder<DB, TB, O> {
  if (dialectOf(db) === 'sqlite') return query;
  const locked = query.forUpdate();
  return mode === 'skip_locked' ? locked.skipLocked() : locked;
}
