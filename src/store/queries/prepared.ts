import type { Compilable, CompiledQuery, Insertable, QueryResult } from 'kysely';
import { UpdraftError } from '../../contracts/errors.ts';
import { runInSqliteTransaction } from '../dialects/sqlite.ts';
import { nameStatement } from '../dialects/statement-names.ts';
import type { Database } from '../schema.ts';
import type { Executor } from './executor.ts';

/**
 * Kysely builds an immutable operation tree and compiles it to SQL on every call, which costs more
 * than SQLite takes to run a keyed read or update. The statements every task try runs (start,
 * finish, queue, the run and task instance reads) are built once per dialect here and then run
 * again with new values. Keep it to statements whose SQL does not depend on the values: a shape
 * that varies (which columns an update sets) belongs in the statement's name.
 */

/** Stands for the named value while the statement is built (a placeholder that never reaches the database). */
export type Param<P> = <K extends keyof P & string>(key: K) => P[K];

type Build<P, R> = (db: Executor, param: Param<P>) => Compilable<R>;

interface PreparedStatement {
  template: CompiledQuery;
  /** For each bound parameter: the name of the value it takes, or a constant the builder put there. */
  slots: ({ name: string } | { constant: unknown })[];
}

/** By dialect adapter: transactions share their database's adapter, and each store has its own. */
const statements = new WeakMap<object, Map<string, PreparedStatement>>();

const SENTINEL_PREFIX = '\u0000updraft-param:';

/**
 * Runs the statement `name` with `params`, building it with `build` the first time this dialect
 * sees that name. `build` takes every value through `param(key)`, so the values are bound anew on
 * each run.
 */
export async function executePrepared<P extends Record<string, unknown>, R>(
  db: Executor,
  name: string,
  params: P,
  build: Build<P, R>,
): Promise<QueryResult<R>> {
  const adapter = db.getExecutor().adapter;
  let byName = statements.get(adapter);
  if (byName === undefined) statements.set(adapter, (byName = new Map()));
  let statement = byName.get(name);
  if (statement === undefined) {
    statement = prepare(db, Object.keys(params), build);
    byName.set(name, statement);
  }
  const parameters = statement.slots.map((slot) => ('name' in slot ? params[slot.name] : slot.constant));
  const direct = db.isTransaction ? runInSqliteTransaction(adapter, statement.template.sql, parameters) : null;
  if (direct !== null) return direct as QueryResult<R>;
  return db.executeQuery<R>({ ...statement.template, parameters } as CompiledQuery<R>);
}

/** The most items a sized statement (executeSized) is prepared for. */
const MAX_PREPARED_ITEMS = 32;

/**
 * executePrepared for a statement whose shape grows with a number of items (an IN list, a
 * multi-row insert): prepared per count up to MAX_PREPARED_ITEMS, the small batches every try
 * goes through; built afresh above that, where one build serves many items, so that the set of
 * prepared statements (named on Postgres connections) stays small.
 */
export async function executeSized<P extends Record<string, unknown>, R>(
  db: Executor,
  name: string,
  items: number,
  params: P,
  build: Build<P, R>,
): Promise<QueryResult<R>> {
  if (items <= MAX_PREPARED_ITEMS) return executePrepared(db, `${name}/${items}`, params, build);
  return db.executeQuery(build(db, (key) => params[key]).compile());
}

/**
 * A multi-row INSERT of `rows` into `table`: up to MAX_PREPARED_ITEMS rows through executeSized (a
 * statement built once per row count), more built straight from the rows. Every row must have the
 * same columns in the same order.
 */
export async function insertRows<T extends keyof Database & string>(db: Executor, name: string, table: T, rows: readonly Insertable<Database[T]>[]): Promise<void> {
  const first = rows[0];
  if (first === undefined) return;
  // Such a statement is not kept (executeSized), so nothing is gained by naming its values: for a
  // 500-row chunk of task instances that was 12,500 names, over half of a 2,000-task trigger (ADR 0020).
  if (rows.length > MAX_PREPARED_ITEMS) {
    await db.executeQuery(db.insertInto(table).values(rows as never).compile());
    return;
  }
  const columns = Object.keys(first);
  const params = Object.fromEntries(rows.flatMap((row, index) => columns.map((column) => [`${column}${index}`, (row as Record<string, unknown>)[column]])));
  await executeSized(db, name, rows.length, params, (db, param) =>
    db.insertInto(table).values(rows.map((_, index) => Object.fromEntries(columns.map((column) => [column, param(`${column}${index}`)]))) as never),
  );
}

function prepare<P, R>(db: Executor, names: string[], build: Build<P, R>): PreparedStatement {
  const param = (<K extends keyof P & string>(key: K) => `${SENTINEL_PREFIX}${key}` as P[K]) satisfies Param<P>;
  const template = build(db, param).compile();
  const slots: PreparedStatement['slots'] = template.parameters.map((value) =>
    typeof value === 'string' && value.startsWith(SENTINEL_PREFIX) ? { name: value.slice(SENTINEL_PREFIX.length) } : { constant: value },
  );
  for (const slot of slots) {
    if ('name' in slot && !names.includes(slot.name)) {
      throw new UpdraftError('INTERNAL', `A prepared statement refers to a missing parameter ${slot.name}`, {
        hint: 'Pass every value the builder takes through param() in the params object',
        details: { parameter: slot.name, passed: names },
      });
    }
  }
  nameStatement(template.sql);
  return { template, slots };
}
