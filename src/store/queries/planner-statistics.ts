import { sql } from 'kysely';
import { dialectOf } from '../dialects/dialect-name.ts';
import type { Executor } from './executor.ts';

/**
 * Tables that gain a row with every try and that the try statements reach by key. Until a table
 * is first analyzed Postgres plans against its size when a statement was prepared, and the end of
 * a try is prepared in the first seconds of a new database, when task_instance_try holds a handful
 * of rows: the end then scans the whole table for every batch, and the table grows by a row a try
 * (4 ms a batch at 2,000 rows in the throughput bench), until autovacuum first analyzes it, a
 * minute or more later. task_instance is left to autovacuum on purpose: statistics of its states
 * go stale within seconds and misled the claims (ADR 0014).
 */
const KEYED_HISTORY_TABLES = ['task_instance_try'] as const;

/** Rows from which a never-analyzed history table is worth analyzing: well past the planner's empty-table guess. */
const ANALYZE_FROM_ROWS = 1_000;

/**
 * Postgres only: analyzes the keyed history tables that hold ANALYZE_FROM_ROWS rows or more and
 * have never been analyzed (by anyone, autovacuum included), so that prepared statements are
 * planned again against their real size. Returns the tables analyzed; once each has statistics,
 * autovacuum keeps them current and this does nothing.
 */
export async function analyzeNewHistoryTables(db: Executor): Promise<string[]> {
  if (dialectOf(db) !== 'postgres') return [];
  const { rows } = await sql<{ relname: string }>`
    select relname from pg_stat_user_tables
    where schemaname = current_schema() and relname in (${sql.join(KEYED_HISTORY_TABLES)})
      and last_analyze is null and last_autoanalyze is null and n_live_tup >= ${ANALYZE_FROM_ROWS}`.execute(db);
  for (const { relname } of rows) await sql`analyze ${sql.table(relname)}`.execute(db);
  return rows.map((row) => row.relname);
}
