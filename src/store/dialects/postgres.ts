import pg from 'pg';
import { PostgresDialect } from 'kysely';
import { UpdraftError } from '../../contracts/errors.ts';

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
  return { dialect: new PostgresDialect({ pool }), pool, schema };
}
