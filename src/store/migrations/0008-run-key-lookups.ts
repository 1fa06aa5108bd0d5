import { sql, type Kysely, type Migration } from 'kysely';
import { columnTypes } from './column-types.ts';

/**
 * Postgres only: leaves the (dag_id, run_id) key the only index a look-up of a run by that key can
 * use. Without statistics Postgres rates an equality on the leading column of any index at one row
 * and takes the smallest such index, so the look-up that every batch of try starts and ends makes
 * for each try took (dag_id, state), then (dag_id, logical_date), and filtered all the DAG's runs by
 * run id (0.08 ms a look-up at 100 runs, growing with them). So:
 * - the index on (dag_id, state) becomes one on (state, dag_id), as 0005 did for task_instance;
 * - the unique (dag_id, logical_date) becomes a unique index of the runs that have a logical date
 *   (the same rule: runs without one never collided), which a query can use only when it bounds
 *   logical_date, as every query by logical date does.
 * SQLite and MySQL choose by the key already (SQLite knows unique indexes, MySQL always has
 * statistics), and SQLite would compile statements with a bound logical_date again on each run to
 * test a partial index (ADR 0014), so they keep their indexes.
 */
export const runKeyLookupsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    if (columnTypes(db).dialect !== 'postgres') return;
    await db.schema.createIndex('dag_run_state_dag_id').on('dag_run').columns(['state', 'dag_id']).execute();
    await db.schema.dropIndex('dag_run_dag_id_state').execute();
    await db.schema.alterTable('dag_run').dropConstraint('dag_run_dag_id_logical_date').execute();
    await db.schema
      .createIndex('dag_run_dag_id_logical_date')
      .unique()
      .on('dag_run')
      .columns(['dag_id', 'logical_date'])
      .where(sql.ref('logical_date'), 'is not', null)
      .execute();
  },

  async down(db: Kysely<unknown>) {
    if (columnTypes(db).dialect !== 'postgres') return;
    await db.schema.dropIndex('dag_run_dag_id_logical_date').execute();
    await db.schema.alterTable('dag_run').addUniqueConstraint('dag_run_dag_id_logical_date', ['dag_id', 'logical_date']).execute();
    await db.schema.createIndex('dag_run_dag_id_state').on('dag_run').columns(['dag_id', 'state']).execute();
    await db.schema.dropIndex('dag_run_state_dag_id').execute();
  },
};
