import { sql, type Kysely, type Migration } from 'kysely';
import { columnTypes } from './column-types.ts';

/** The claim order of scheduled task instances; see claimScheduledTis. */
const CLAIM_ORDER = ['priority_weight desc', 'run_logical_date', 'task_id', 'dag_id', 'run_id', 'map_index'];

/**
 * The claim of scheduled task instances takes them by priority weight, then by their run's
 * logical date: with the date in dag_run, the database had to read and sort every scheduled task
 * instance on each claim (22 ms a claim on Postgres with 2,000 scheduled; 139 claims in a bench
 * of 100 runs x 20 tasks took three quarters of the server's time). This migration copies the
 * run's logical date onto its task instances (it never changes once the run exists) and indexes
 * the scheduled ones in claim order, so a claim of N reads about N rows, in order.
 *
 * - Postgres: a partial index of the `scheduled` rows (two index writes in a task instance's life).
 * - SQLite: the state, then the claim order, for every row. A partial index on state makes SQLite
 *   compile again, on every run, each statement that compares state to a bound value, to see
 *   whether the index applies: the start of a try went from 42 to 135 µs.
 * - MySQL has no partial indexes, and its claim is not the bottleneck: it keeps sorting, and the
 *   column is still copied.
 */
export const scheduledClaimIndexMigration: Migration = {
  async up(db: Kysely<unknown>) {
    const types = columnTypes(db);
    await db.schema.alterTable('task_instance').addColumn('run_logical_date', types.millis).execute();
    await sql`update task_instance set run_logical_date = (select logical_date from dag_run where dag_run.dag_id = task_instance.dag_id and dag_run.run_id = task_instance.run_id)`.execute(db);
    if (types.dialect === 'mysql') return;
    const index = db.schema.createIndex('task_instance_scheduled_claim').on('task_instance');
    if (types.dialect === 'sqlite') await index.columns(['state', ...CLAIM_ORDER]).execute();
    else await index.columns(CLAIM_ORDER).where(sql.ref('state'), '=', sql.lit('scheduled')).execute();
  },

  async down(db: Kysely<unknown>) {
    if (columnTypes(db).dialect !== 'mysql') await db.schema.dropIndex('task_instance_scheduled_claim').execute();
    await db.schema.alterTable('task_instance').dropColumn('run_logical_date').execute();
  },
};
