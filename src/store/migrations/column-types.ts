import { sql, type ColumnDataType, type CreateTableBuilder, type Expression, type Kysely } from 'kysely';
import { dialectOf, type DialectName } from '../dialects/dialect-name.ts';

/**
 * Column types shared by the migrations, so that one table definition serves all three dialects.
 * MySQL is the constraining one: TEXT cannot be indexed without a prefix, an index key is at most
 * 3072 bytes (utf8mb4: 4 bytes a character), and TEXT holds only 64 KB.
 */
export interface ColumnTypes {
  dialect: DialectName;
  /** dag_id, run_id, task_id, keys and names: 250 characters, as in Airflow (1000 bytes in MySQL). */
  id: ColumnDataType;
  /** Absolute file paths; 750 characters keep a one-column MySQL index under 3072 bytes. */
  path: ColumnDataType;
  /** sha256 hex digests. */
  hash: ColumnDataType;
  /** States, types, error codes. */
  short: ColumnDataType;
  /** Epoch milliseconds and durations. */
  millis: ColumnDataType;
  /** Short free text (descriptions, owners, notes); never indexed. */
  text: Expression<unknown> | ColumnDataType;
  /** Large documents: serialized DAGs, source code, XCom values, stack traces. */
  document: Expression<unknown> | ColumnDataType;
  /** An auto-incrementing integer primary key is spelled differently by each dialect. */
  serial: ColumnDataType;
}

export function columnTypes(db: Kysely<unknown>): ColumnTypes {
  const dialect = dialectOf(db);
  return {
    dialect,
    id: 'varchar(250)',
    path: 'varchar(750)',
    hash: 'varchar(64)',
    short: 'varchar(64)',
    millis: 'bigint',
    text: 'text',
    document: dialect === 'mysql' ? sql`longtext` : 'text',
    serial: dialect === 'postgres' ? 'serial' : 'integer',
  };
}

/**
 * MySQL tables get a binary utf8mb4 collation so that ids compare case-sensitively, as they do in
 * SQLite and Postgres (`my_dag` and `My_Dag` are two DAGs).
 */
export function withTableOptions<T extends string, C extends string>(
  types: ColumnTypes,
  table: CreateTableBuilder<T, C>,
): CreateTableBuilder<T, C> {
  return types.dialect === 'mysql' ? table.modifyEnd(sql`engine=InnoDB default charset=utf8mb4 collate=utf8mb4_bin`) : table;
}
