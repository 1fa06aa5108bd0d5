import { createPool } from 'mysql2';
import { MysqlDialect } from 'kysely';

/**
 * MySQL and MariaDB. BIGINT and DECIMAL (what SUM returns) come back as numbers; the session time
 * zone is UTC (instants are epoch ms anyway, this keeps NOW()-style functions predictable).
 * Case-sensitive ids come from the utf8mb4_bin collation the migrations give every table.
 */
export function createMysqlDialect(url: URL, poolSize: number): MysqlDialect {
  const pool = createPool({
    host: url.hostname,
    port: url.port === '' ? 3306 : Number(url.port),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database: decodeURIComponent(url.pathname.slice(1)),
    connectionLimit: poolSize,
    charset: 'utf8mb4',
    timezone: '+00:00',
    supportBigNumbers: true,
    bigNumberStrings: false,
    decimalNumbers: true,
  });
  return new MysqlDialect({ pool });
}
