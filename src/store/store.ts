import { Kysely, sql, type Dialect } from 'kysely';
import { UpdraftError } from '../contracts/errors.ts';
import type { DialectName } from './dialects/dialect-name.ts';
import { createMysqlDialect } from './dialects/mysql.ts';
import { createPostgresDialect } from './dialects/postgres.ts';
import { createSqliteDialect, sqlitePathFromUrl } from './dialects/sqlite.ts';
import type { Database } from './schema.ts';
import { SecretBox } from './secrets.ts';

/** An open metadata database: the typed query builder, its dialect and the box for secrets. */
export interface Store {
  db: Kysely<Database>;
  dialect: DialectName;
  secrets: SecretBox;
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  url: string;
  secretKey: string;
  /** Connections per process for Postgres and MySQL (SQLite has one). Default 5. */
  poolSize?: number;
}

const URL_FORMS = 'sqlite:///absolute/path.db, sqlite::memory:, postgres://user:password@host:5432/db?schema=name, mysql://user:password@host:3306/db';

/** Opens the metadata database named by a URL and checks that it answers. Does not migrate. */
export async function openStore(options: OpenStoreOptions): Promise<Store> {
  const secrets = new SecretBox(options.secretKey);
  const poolSize = options.poolSize ?? 5;
  const target = dialectForUrl(options.url, poolSize);
  const db = new Kysely<Database>({ dialect: target.dialect });
  try {
    if (target.schema !== undefined && target.schema !== null) {
      await sql`create schema if not exists ${sql.id(target.schema)}`.execute(db);
    } else {
      await sql`select 1`.execute(db);
    }
  } catch (error) {
    await db.destroy().catch(() => undefined);
    throw new UpdraftError('DB_CONNECTION_FAILED', `Cannot reach the ${target.name} database at ${target.location}: ${(error as Error).message}`, {
      hint: 'Check that the database server runs and that database.url names the right host, port, user and database',
      details: { dialect: target.name, location: target.location },
      cause: error,
    });
  }
  return { db, dialect: target.name, secrets, close: () => db.destroy() };
}

interface DialectTarget {
  name: DialectName;
  dialect: Dialect;
  /** host:port or file path, for error messages; never includes the password. */
  location: string;
  schema?: string | null;
}

function dialectForUrl(url: string, poolSize: number): DialectTarget {
  const sqlitePath = sqlitePathFromUrl(url);
  if (sqlitePath !== null) return { name: 'sqlite', dialect: createSqliteDialect(sqlitePath), location: sqlitePath };
  const parsed = URL.canParse(url) ? new URL(url) : null;
  const location = parsed === null ? '' : `${parsed.hostname}:${parsed.port || defaultPort(parsed.protocol)}`;
  if (parsed?.protocol === 'postgres:' || parsed?.protocol === 'postgresql:') {
    const { dialect, schema } = createPostgresDialect(parsed, poolSize);
    return { name: 'postgres', dialect, location, schema };
  }
  if (parsed?.protocol === 'mysql:') return { name: 'mysql', dialect: createMysqlDialect(parsed, poolSize), location };
  throw new UpdraftError('DB_UNSUPPORTED_URL', `Unsupported database URL "${redact(url)}"`, {
    hint: `Use one of: ${URL_FORMS}`,
  });
}

function defaultPort(protocol: string): string {
  return protocol === 'mysql:' ? '3306' : '5432';
}

/** Drops the password from a URL before it goes into a message. */
function redact(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}
