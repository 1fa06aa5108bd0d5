import { CompiledQuery, type Kysely, type Transaction } from 'kysely';
import { runInSqliteTransaction, runSqliteTransaction } from '../dialects/sqlite.ts';
import type { Database } from '../schema.ts';

/** What every query function runs on: the store's Kysely instance or a transaction the caller owns. */
export type Executor = Kysely<Database> | Transaction<Database>;

/**
 * Runs `work` atomically. Inside a caller's transaction it simply joins it (and never commits it);
 * otherwise it opens and commits its own.
 */
export async function inTransaction<T>(db: Executor, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  if (db.isTransaction) return work(db as Transaction<Database>);
  return runTransaction(db, work);
}

/** Runs `work` in a transaction of its own: on SQLite without Kysely's layers around it (runSqliteTransaction). */
export function runTransaction<T>(db: Kysely<Database>, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  return runSqliteTransaction(db, work) ?? db.transaction().execute(work);
}

/**
 * Runs `work` inside the caller's transaction so that, if it throws, its writes are undone and the
 * transaction goes on as before it; the error is rethrown. `name` must be a plain SQL identifier.
 */
export async function inSavepoint<T>(trx: Transaction<Database>, name: string, work: () => Promise<T>): Promise<T> {
  await executeInTransaction(trx, `savepoint ${name}`);
  try {
    const value = await work();
    await executeInTransaction(trx, `release savepoint ${name}`);
    return value;
  } catch (error) {
    await executeInTransaction(trx, `rollback to savepoint ${name}`);
    await executeInTransaction(trx, `release savepoint ${name}`);
    throw error;
  }
}

/** A statement without values in the caller's transaction; on SQLite straight on its connection (runInSqliteTransaction). */
async function executeInTransaction(trx: Transaction<Database>, statement: string): Promise<void> {
  if (runInSqliteTransaction(trx.getExecutor().adapter, statement, []) === null) await trx.executeQuery(CompiledQuery.raw(statement));
}

/** Splits bulk writes so that no statement exceeds a dialect's bound-parameter limit (SQLite: 32766). */
export function chunked<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}

/** How each driver names a violated constraint: Postgres SQLSTATE, MySQL / MariaDB code, SQLite extended codes and message. */
interface ConstraintCodes {
  postgres: string;
  mysql: string;
  sqlite: readonly number[];
  sqliteMessage: string;
}

const UNIQUE: ConstraintCodes = {
  postgres: '23505', // unique_violation
  mysql: 'ER_DUP_ENTRY',
  sqlite: [2067, 1555], // SQLITE_CONSTRAINT_UNIQUE, SQLITE_CONSTRAINT_PRIMARYKEY
  sqliteMessage: 'UNIQUE constraint failed',
};

const NOT_NULL: ConstraintCodes = {
  postgres: '23502', // not_null_violation
  mysql: 'ER_BAD_NULL_ERROR',
  sqlite: [1299], // SQLITE_CONSTRAINT_NOTNULL
  sqliteMessage: 'NOT NULL constraint failed',
};

function violates(error: unknown, codes: ConstraintCodes): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, errcode, message } = error as { code?: unknown; errcode?: unknown; message?: unknown };
  return (
    code === codes.postgres ||
    code === codes.mysql ||
    (typeof errcode === 'number' && codes.sqlite.includes(errcode)) ||
    (typeof message === 'string' && message.startsWith(codes.sqliteMessage))
  );
}

/** Whether a write failed on a unique or primary key constraint, in any of the three drivers. */
export function isUniqueViolation(error: unknown): boolean {
  return violates(error, UNIQUE);
}

/** Whether a write put a null into a NOT NULL column, in any of the three drivers. */
export function isNotNullViolation(error: unknown): boolean {
  return violates(error, NOT_NULL);
}

/** 0/1 flags of the schema. */
export function toFlag(value: boolean): 0 | 1 {
  return value ? 1 : 0;
}

/** Escapes a user's search text for `LIKE ... ESCAPE '!'` (the same escape character works in every dialect). */
export function likeContains(text: string): string {
  return `%${text.toLowerCase().replace(/[!%_]/g, (char) => `!${char}`)}%`;
}
