import type { Kysely, Migration } from 'kysely';
import { columnTypes } from './column-types.ts';

/**
 * What the scheduler daemon needs on top of the initial schema:
 * - task_instance.queued_by_job_id: the scheduler job that queued a TI, so that a scheduler can
 *   reset what a dead one left queued (Airflow's adopt_or_reset_orphaned_tasks);
 * - dag.schedule_key: a hash of everything that lays out a DAG's runs (timetable, start and end
 *   dates, catchup), written by the DAG processor; dag.next_dagrun_schedule_key: the key the
 *   scheduler computed next_dagrun_* with. When they differ, next_dagrun_* is stale and is
 *   recomputed, which also tells "not computed yet" apart from "no next run" (both NULL dates).
 */
export const schedulerMigration: Migration = {
  async up(db: Kysely<unknown>) {
    const t = columnTypes(db);
    await db.schema.alterTable('task_instance').addColumn('queued_by_job_id', 'integer').execute();
    await db.schema.alterTable('dag').addColumn('schedule_key', t.hash).execute();
    await db.schema.alterTable('dag').addColumn('next_dagrun_schedule_key', t.hash).execute();
    await db.schema.createIndex('task_instance_queued_by_job_id').on('task_instance').column('queued_by_job_id').execute();
  },

  async down(db: Kysely<unknown>) {
    // Only MySQL names the table in DROP INDEX (and requires it).
    const dropIndex = db.schema.dropIndex('task_instance_queued_by_job_id');
    await (columnTypes(db).dialect === 'mysql' ? dropIndex.on('task_instance') : dropIndex).execute();
    await db.schema.alterTable('dag').dropColumn('next_dagrun_schedule_key').execute();
    await db.schema.alterTable('dag').dropColumn('schedule_key').execute();
    await db.schema.alterTable('task_instance').dropColumn('queued_by_job_id').execute();
  },
};
