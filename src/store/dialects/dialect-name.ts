import { MysqlAdapter, PostgresAdapter, SqliteAdapter, type QueryExecutor } from 'kysely';
import { UpdraftError } from '../../contracts/errors.ts';

export type DialectName = 'sqlite' | 'postgres' | 'mysql';

/**
 * The dialect behind a Kysely instance or transaction. Query functions receive only an executor,
 * so they ask it rather than carrying the dialect around; the adapter is the one thing every
 * Kysely instance of a dialect shares.
 */
export function dialectOf(db: { getExecutor(): QueryExecutor }): DialectName {
  const adapter = db.getExecutor().adapter;
  if (adapter instanceof PostgresAdapter) return 'postgres';
  if (adapter instanceof MysqlAdapter) return 'mysql';
  if (adapter instanceof SqliteAdapter) return 'sqlite';
  throw new UpdraftError('INTERNAL', `Unknown Kysely adapter ${adapter.constructor.name}`);
}
