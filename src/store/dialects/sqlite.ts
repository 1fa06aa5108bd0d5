import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type SQLInputValue } from 'node:sqlite';
import {
  CompiledQuery,
  SqliteDialect,
  SqliteDriver,
  Transaction,
  type ConnectionProvider,
  type DatabaseConnection,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryResult,
  type SqliteDatabase,
  type SqliteDialectConfig,
  type SqliteStatement,
} from 'kysely';
import { UpdraftError } from '../../contracts/errors.ts';
import type { Database } from '../schema.ts';

const PRAGMAS = ['journal_mode = WAL', 'synchronous = NORMAL', 'busy_timeout = 5000', 'foreign_keys = ON'];
/**
 * Preparing a statement costs more than running most of ours, and the scheduler and task supervisors
 * run the same few hundred statements over and over. SQLite re-prepares a cached statement by itself
 * after a schema change, so caching is safe across migrations.
 */
const STATEMENT_CACHE_SIZE = 512;

/**
 * SQLite's planner reads the value bound to a bare `limit ?` and so compiles the statement again
 * each time that parameter is bound: every run of a cached statement pays a whole compile, 35 µs
 * for the claim of scheduled task instances, which is otherwise a 2 µs read. Behind a cast the
 * parameter is an expression the planner does not look into, and the statement is compiled once.
 * Kysely binds every limit (even `.limit(1)`) as such a parameter. An offset does not have this cost.
 */
export function limitsUnseenByPlanner(sql: string): string {
  return sql.replace(/ limit \?(?=$|[\s)])/g, ' limit cast(? as integer)');
}

/** Kysely's SqliteDialect expects better-sqlite3's shape; this adapts node:sqlite's DatabaseSync to it. */
class NodeSqliteDatabase implements SqliteDatabase {
  readonly #db: DatabaseSync;
  readonly #statements = new Map<string, SqliteStatement>();

  constructor(db: DatabaseSync) {
    this.#db = db;
  }

  /** Whether a transaction is open on the connection. */
  get inTransaction(): boolean {
    return this.#db.isTransaction;
  }

  prepare(sql: string): SqliteStatement {
    const cached = this.#statements.get(sql);
    if (cached !== undefined) {
      // Re-insert to keep the map in least-recently-used order.
      this.#statements.delete(sql);
      this.#statements.set(sql, cached);
      return cached;
    }
    const prepared = this.#prepareUncached(sql);
    this.#statements.set(sql, prepared);
    if (this.#statements.size > STATEMENT_CACHE_SIZE) this.#statements.delete(this.#statements.keys().next().value!);
    return prepared;
  }

  #prepareUncached(sql: string): SqliteStatement {
    const statement = this.#db.prepare(limitsUnseenByPlanner(sql));
    const params = (parameters: ReadonlyArray<unknown>): SQLInputValue[] => parameters as SQLInputValue[];
    return {
      // Statements that produce columns (SELECT, ... RETURNING) are read with all().
      reader: statement.columns().length > 0,
      all: (parameters) => statement.all(...params(parameters)),
      run: (parameters) => statement.run(...params(parameters)),
      iterate: (parameters) => statement.iterate(...params(parameters)),
    };
  }

  close(): void {
    this.#statements.clear();
    this.#db.close();
  }
}

/**
 * Kysely opens transactions with a plain (deferred) BEGIN. When two processes share the file
 * (scheduler and API server), a deferred transaction that reads and then writes can fail with
 * SQLITE_BUSY at once instead of waiting: busy_timeout does not apply to the lock upgrade.
 * BEGIN IMMEDIATE takes the write lock up front, so busy_timeout makes writers queue.
 */
const BEGIN_IMMEDIATE = 'begin immediate';

/** The store's SQLite driver: every transaction, Kysely's and runSqliteTransaction's, opens with BEGIN_IMMEDIATE. */
class ImmediateSqliteDriver extends SqliteDriver {
  readonly #dialect: Dialect;

  constructor(config: SqliteDialectConfig, dialect: Dialect) {
    super(config);
    this.#dialect = dialect;
  }

  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(BEGIN_IMMEDIATE));
  }

  /**
   * A transaction as Kysely's `db.transaction().execute(work)` makes it (the store's one connection,
   * BEGIN IMMEDIATE, a Transaction for `work`), with its statements of control run on the database
   * directly, and without the layers Kysely puts around them (a builder, a runtime driver, a
   * connection provider that serializes, an executor that asserts). An empty transaction takes
   * 66-91 µs instead of 130 µs on a cold CPU, and a chain step makes one (ADR 0018).
   */
  async transaction<T>(db: Kysely<Database>, database: NodeSqliteDatabase, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    const connection = await this.acquireConnection();
    const provider = new TransactionConnection(connection);
    try {
      const trx = new Transaction<Database>({ config: { dialect: this.#dialect }, dialect: this.#dialect, driver: this, executor: db.getExecutor().withConnectionProvider(provider) });
      database.prepare(BEGIN_IMMEDIATE).run([]);
      try {
        const value = await work(trx);
        database.prepare('commit').run([]);
        return value;
      } catch (error) {
        // A failed COMMIT can leave the transaction open (SQLITE_BUSY); a failed statement does not end it.
        if (database.inTransaction) database.prepare('rollback').run([]);
        throw error;
      }
    } finally {
      provider.end();
      await this.releaseConnection();
    }
  }
}

/** The connection of one transaction, refused once it has ended, as Kysely's own transactions are. */
class TransactionConnection implements ConnectionProvider {
  #connection: DatabaseConnection | null;

  constructor(connection: DatabaseConnection) {
    this.#connection = connection;
  }

  async provideConnection<T>(consumer: (connection: DatabaseConnection) => Promise<T>): Promise<T> {
    if (this.#connection === null) throw new UpdraftError('INTERNAL', 'A SQLite transaction was used after it had ended');
    return consumer(this.#connection);
  }

  end(): void {
    this.#connection = null;
  }
}

/** A SQLite store's database and driver, once Kysely has made them. */
interface OpenedSqlite {
  database: NodeSqliteDatabase | null;
  driver: ImmediateSqliteDriver | null;
}

class ImmediateSqliteDialect extends SqliteDialect {
  readonly #database: () => Promise<SqliteDatabase>;
  readonly #opened: OpenedSqlite;

  constructor(database: () => Promise<NodeSqliteDatabase>) {
    const opened: OpenedSqlite = { database: null, driver: null };
    const open = async (): Promise<NodeSqliteDatabase> => (opened.database = await database());
    super({ database: open });
    this.#database = open;
    this.#opened = opened;
  }

  override createDriver(): Driver {
    return (this.#opened.driver = new ImmediateSqliteDriver({ database: this.#database }, this));
  }

  override createAdapter(): DialectAdapter {
    const adapter = super.createAdapter();
    openedByAdapter.set(adapter, this.#opened);
    return adapter;
  }
}

/** The database of each SQLite store, by its Kysely adapter (what a transaction shares with its store). */
const openedByAdapter = new WeakMap<DialectAdapter, OpenedSqlite>();

/**
 * Runs `work` in a transaction of its own on the SQLite store `db`, as ImmediateSqliteDriver's
 * `transaction` does it; null when `db` is not a SQLite store's.
 */
export function runSqliteTransaction<T>(db: Kysely<Database>, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> | null {
  const opened = openedByAdapter.get(db.getExecutor().adapter);
  if (opened === undefined || opened.driver === null || opened.database === null) return null;
  return opened.driver.transaction(db, opened.database, work);
}

/**
 * Runs a compiled statement straight on the SQLite database behind `adapter`, as Kysely's SQLite
 * connection would; null when `adapter` is not a SQLite store's. Only for a statement of a
 * transaction in progress: a SQLite store has one connection, and the transaction holds it until it
 * ends, so nothing else can run between. Kysely's way to the connection costs 15-20 µs of awaits and
 * allocations a statement on a cold CPU, and a chain step runs about fifteen statements in
 * transactions, each for one try (ADR 0017).
 */
export function runInSqliteTransaction(adapter: DialectAdapter, sql: string, parameters: readonly unknown[]): QueryResult<unknown> | null {
  const database = openedByAdapter.get(adapter)?.database;
  if (database === undefined || database === null) return null;
  const statement = database.prepare(sql);
  if (statement.reader) return { rows: statement.all(parameters) as unknown[] };
  const { changes, lastInsertRowid } = statement.run(parameters);
  return { rows: [], numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid) };
}

/** `sqlite:///abs/path.db` -> `/abs/path.db`; `sqlite::memory:` -> `:memory:`; null when not a SQLite URL form we accept. */
export function sqlitePathFromUrl(url: string): string | null {
  if (url === 'sqlite::memory:') return ':memory:';
  if (url.startsWith('sqlite:///')) return decodeURIComponent(url.slice('sqlite://'.length));
  return null;
}

export function createSqliteDialect(path: string): SqliteDialect {
  return new ImmediateSqliteDialect(async () => {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const db = new DatabaseSync(path);
    for (const pragma of PRAGMAS) db.exec(`PRAGMA ${pragma}`);
    return new NodeSqliteDatabase(db);
  });
}
