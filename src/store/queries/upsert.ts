import type { InsertQueryBuilder } from 'kysely';
import { dialectOf } from '../dialects/dialect-name.ts';
import type { Database } from '../schema.ts';
import type { Executor } from './executor.ts';

/**
 * Turns an insert into an upsert on the table's key: ON CONFLICT ... DO UPDATE in Postgres and
 * SQLite, ON DUPLICATE KEY UPDATE in MySQL (which needs no key columns: it uses every unique key).
 */
export function onConflictUpdate<TB extends keyof Database & string, O>(
  db: Executor,
  insert: InsertQueryBuilder<Database, TB, O>,
  keyColumns: readonly (keyof Database[TB] & string)[],
  update: Parameters<InsertQueryBuilder<Database, TB, O>['onDuplicateKeyUpdate']>[0],
): InsertQueryBuilder<Database, TB, O> {
  if (dialectOf(db) === 'mysql') return insert.onDuplicateKeyUpdate(update);
  // The same update object serves both forms; Kysely types the ON CONFLICT one against a wider table set.
  return insert.onConflict((conflict) => conflict.columns(keyColumns as never).doUpdateSet(update as never));
}

/** Turns an insert into "insert unless the key exists". */
export function onConflictIgnore<TB extends keyof Database & string, O>(
  db: Executor,
  insert: InsertQueryBuilder<Database, TB, O>,
): InsertQueryBuilder<Database, TB, O> {
  return dialectOf(db) === 'mysql' ? insert.ignore() : insert.onConflict((conflict) => conflict.doNothing());
}
