import pg from 'pg';
import { PostgresDialect, type PostgresPool, type PostgresPoolClient } from 'kysely';
import { UpdraftError } from '../../contracts/errors.ts';
import { statementName } from './statement-names.ts';

const INT8_OID = 20;

/**
 * BIGINT columns hold epoch milliseconds, far below 2^53, so they are read as numbers. The parser
 * is set per pool (not with the global pg.types.setTypeParser) so that other pg users in the same
 * process, such as the postgres provider's hooks, keep pg's defaults.
 */
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary' ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

export interface PostgresTarget {
  dialect: PostgresDialect;
  pool: pg.Pool;
  /** The schema selected with `?schema=`, created on open when missing. */
  schema: string | null;
}

export function createPostgresDialect(url: URL, poolSize: number): PostgresTarget {
  const schema = url.searchParams.get('schema');
  if (schema !== null && !/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema)) {
    throw new UpdraftError('DB_UNSUPPORTED_URL', `Invalid schema name "${schema}" in the database URL`, {
      hint: 'Use letters, digits and underscores, starting with a letter: ?schema=updraft',
    });
  }
  const connection = new URL(url);
  connection.searchParams.delete('schema');
  const pool = new pg.Pool({
    connectionString: connection.toString(),
    max: poolSize,
    types,
    ...(schema === null ? {} : { options: `-c search_path=${schema}` }),
  });
  // An idle client that loses its connection is discarded by the pool and the next query opens a
  // new one; without a listener, pg would crash the process over it. Query errors still reach callers.
  pool.on('error', () => undefined);
  return { dialect: new PostgresDialect({ pool: namingStatements(pool) }), pool, schema };
}

/**
 * The pool as Kysely sees it: a registered statement (statement-names.ts) runs as a named
 * statement, which pg parses once per connection and Postgres then plans from its plan cache.
 * Unnamed, every execution is parsed and planned again: for the keyed statements of a try,
 * planning costs more server time than running them.
 */
function namingStatements(pool: pg.Pool): PostgresPool {
  // One wrapper per pg client: Kysely keeps its connection objects by client identity.
  const wrappers = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  return {
    connect: async () => {
      const client = await pool.connect();
      let wrapper = wrappers.get(client);
      if (wrapper === undefined) wrappers.set(client, (wrapper = namingClient(client)));
      return wrapper;
    },
    end: () => pool.end(),
  };
}

function namingClient(client: pg.PoolClient): PostgresPoolClient {
  // Kysely calls query(text, values), or query(cursor) to stream: a cursor goes through as it is.
  const query = (textOrCursor: string, values: readonly unknown[]) => {
    const name = typeof textOrCursor === 'string' ? statementName(textOrCursor) : undefined;
    if (name === undefined) return client.query(textOrCursor, values as unknown[]);
    return client.query({ name, text: textOrCursor, values: values as unknown[] });
  };
  return { query: query as unknown as PostgresPoolClient['query'], release: () => client.release() };
}
