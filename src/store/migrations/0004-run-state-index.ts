import type { Kysely, Migration } from 'kysely';
import { columnTypes } from './column-types.ts';

/**
 * An index on task_instance (dag_id, run_id, state): the scheduler asks on every loop whether a run
 * still has task instances in a given state ("any not started?", "any retry due?"); with this
 * index each answer is a seek, not a scan of the run's task instances.
 */
export const runStateIndexMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.createIndex('task_instance_run_state').on('task_instance').columns(['dag_id', 'run_id', 'state']).execute();
  },

  async down(db: Kysely<unknown>) {
    const dropIndex = db.schema.dropIndex('task_instance_run_state');
    await (columnTypes(db).dialect === 'mysql' ? dropIndex.on('task_instance') : dropIndex).execute();
  },
};
