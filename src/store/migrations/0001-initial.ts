import type { CreateTableBuilder, Kysely, Migration } from 'kysely';
import { columnTypes, withTableOptions, type ColumnTypes } from './column-types.ts';

/**
 * The first schema: every table of src/store/schema.ts. Child tables reference their parents with
 * ON DELETE CASCADE, so deleting a DAG removes its runs, task instances, tries, reschedules,
 * XComs and tags in one statement on every dialect.
 */
export const initialMigration: Migration = {
  async up(db: Kysely<unknown>) {
    const t = columnTypes(db);
    const table = (name: string) => ({
      create: <C extends string>(build: (b: CreateTableBuilder<string, never>) => CreateTableBuilder<string, C>) =>
        withTableOptions(t, build(db.schema.createTable(name))).execute(),
    });

    await table('dag').create((b) =>
      b
        .addColumn('dag_id', t.id, (c) => c.primaryKey())
        .addColumn('fileloc', t.path, (c) => c.notNull())
        .addColumn('is_paused', 'integer', (c) => c.notNull())
        .addColumn('is_active', 'integer', (c) => c.notNull())
        .addColumn('last_parsed_at', t.millis, (c) => c.notNull())
        .addColumn('owners', t.text, (c) => c.notNull())
        .addColumn('description', t.text)
        .addColumn('timetable_summary', t.text, (c) => c.notNull())
        .addColumn('max_active_runs', 'integer', (c) => c.notNull())
        .addColumn('max_active_tasks', 'integer', (c) => c.notNull())
        .addColumn('latest_version_hash', t.hash, (c) => c.notNull())
        .addColumn('next_dagrun_logical_date', t.millis)
        .addColumn('next_dagrun_data_interval_start', t.millis)
        .addColumn('next_dagrun_data_interval_end', t.millis)
        .addColumn('next_dagrun_create_after', t.millis),
    );
    await db.schema.createIndex('dag_fileloc').on('dag').column('fileloc').execute();
    await db.schema.createIndex('dag_next_dagrun_create_after').on('dag').columns(['is_active', 'is_paused', 'next_dagrun_create_after']).execute();

    await table('dag_tag').create((b) =>
      b
        .addColumn('dag_id', t.id, (c) => c.notNull().references('dag.dag_id').onDelete('cascade'))
        .addColumn('name', t.id, (c) => c.notNull())
        .addPrimaryKeyConstraint('dag_tag_pk', ['dag_id', 'name']),
    );
    await db.schema.createIndex('dag_tag_name').on('dag_tag').column('name').execute();

    // No foreign key to dag: a new DAG's first version is saved before its row (deleteDag removes versions itself).
    await table('serialized_dag').create((b) =>
      b
        .addColumn('dag_id', t.id, (c) => c.notNull())
        .addColumn('version_hash', t.hash, (c) => c.notNull())
        .addColumn('version_number', 'integer', (c) => c.notNull())
        .addColumn('fileloc', t.path, (c) => c.notNull())
        .addColumn('data', t.document, (c) => c.notNull())
        .addColumn('source_code', t.document, (c) => c.notNull())
        .addColumn('created_at', t.millis, (c) => c.notNull())
        .addPrimaryKeyConstraint('serialized_dag_pk', ['dag_id', 'version_hash'])
        .addUniqueConstraint('serialized_dag_version_number', ['dag_id', 'version_number']),
    );

    await table('dag_run').create((b) =>
      withSerialId(t, b)
        .addColumn('dag_id', t.id, (c) => c.notNull().references('dag.dag_id').onDelete('cascade'))
        .addColumn('run_id', t.id, (c) => c.notNull())
        .addColumn('run_type', t.short, (c) => c.notNull())
        .addColumn('state', t.short, (c) => c.notNull())
        .addColumn('logical_date', t.millis)
        .addColumn('data_interval_start', t.millis)
        .addColumn('data_interval_end', t.millis)
        .addColumn('run_after', t.millis, (c) => c.notNull())
        .addColumn('queued_at', t.millis)
        .addColumn('start_date', t.millis)
        .addColumn('end_date', t.millis)
        .addColumn('conf', t.document, (c) => c.notNull())
        .addColumn('note', t.text)
        .addColumn('dag_version_hash', t.hash, (c) => c.notNull())
        .addColumn('triggered_by', t.short, (c) => c.notNull())
        .addColumn('clear_number', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('last_scheduling_decision', t.millis)
        .addUniqueConstraint('dag_run_dag_id_run_id', ['dag_id', 'run_id'])
        // NULL logical dates (manual runs without one) do not collide: all three dialects allow many NULLs.
        .addUniqueConstraint('dag_run_dag_id_logical_date', ['dag_id', 'logical_date']),
    );
    await db.schema.createIndex('dag_run_dag_id_state').on('dag_run').columns(['dag_id', 'state']).execute();
    await db.schema.createIndex('dag_run_state_run_after').on('dag_run').columns(['state', 'run_after']).execute();

    // The primary key (dag_id, run_id, task_id, map_index) also serves lookups by (dag_id, run_id).
    // MySQL: 3 x 1000 + 4 bytes, just under the 3072-byte key limit.
    await table('task_instance').create((b) =>
      withTaskInstanceKey(t, b)
        .addColumn('try_number', 'integer', (c) => c.notNull())
        .addColumn('max_tries', 'integer', (c) => c.notNull())
        .addColumn('state', t.short, (c) => c.notNull())
        .addColumn('start_date', t.millis)
        .addColumn('end_date', t.millis)
        .addColumn('duration_ms', t.millis)
        .addColumn('hostname', t.id, (c) => c.notNull())
        .addColumn('pid', 'integer')
        .addColumn('pool', t.id, (c) => c.notNull())
        .addColumn('pool_slots', 'integer', (c) => c.notNull())
        .addColumn('queue', t.id, (c) => c.notNull())
        .addColumn('priority_weight', 'integer', (c) => c.notNull())
        .addColumn('operator', t.id, (c) => c.notNull())
        .addColumn('executor', t.id)
        .addColumn('queued_at', t.millis)
        .addColumn('scheduled_at', t.millis)
        .addColumn('next_attempt_at', t.millis)
        .addColumn('last_heartbeat_at', t.millis)
        .addColumn('dag_version_hash', t.hash, (c) => c.notNull())
        .addColumn('note', t.text)
        .addPrimaryKeyConstraint('task_instance_pk', ['dag_id', 'run_id', 'task_id', 'map_index'])
        .addForeignKeyConstraint('task_instance_dag_run_fk', ['dag_id', 'run_id'], 'dag_run', ['dag_id', 'run_id'], (fk) => fk.onDelete('cascade')),
    );
    await db.schema.createIndex('task_instance_state').on('task_instance').column('state').execute();
    await db.schema.createIndex('task_instance_pool_state').on('task_instance').columns(['pool', 'state']).execute();
    await db.schema.createIndex('task_instance_dag_id_state').on('task_instance').columns(['dag_id', 'state']).execute();

    await table('task_instance_try').create((b) =>
      withTaskInstanceKey(t, b)
        .addColumn('try_number', 'integer', (c) => c.notNull())
        .addColumn('state', t.short, (c) => c.notNull())
        .addColumn('start_date', t.millis)
        .addColumn('end_date', t.millis)
        .addColumn('duration_ms', t.millis)
        .addColumn('hostname', t.id, (c) => c.notNull())
        .addColumn('pid', 'integer')
        .addColumn('executor', t.id)
        .addColumn('pool', t.id, (c) => c.notNull())
        .addColumn('queue', t.id, (c) => c.notNull())
        .addColumn('operator', t.id, (c) => c.notNull())
        .addColumn('rendered_fields', t.document)
        .addColumn('log_path', t.text, (c) => c.notNull())
        .addColumn('error', t.document)
        .addPrimaryKeyConstraint('task_instance_try_pk', ['dag_id', 'run_id', 'task_id', 'map_index', 'try_number'])
        .addForeignKeyConstraint(
          'task_instance_try_ti_fk',
          ['dag_id', 'run_id', 'task_id', 'map_index'],
          'task_instance',
          ['dag_id', 'run_id', 'task_id', 'map_index'],
          (fk) => fk.onDelete('cascade'),
        ),
    );

    await table('task_reschedule').create((b) =>
      withTaskInstanceKey(t, withSerialId(t, b))
        .addColumn('try_number', 'integer', (c) => c.notNull())
        .addColumn('start_date', t.millis, (c) => c.notNull())
        .addColumn('end_date', t.millis, (c) => c.notNull())
        .addColumn('reschedule_date', t.millis, (c) => c.notNull())
        .addForeignKeyConstraint(
          'task_reschedule_ti_fk',
          ['dag_id', 'run_id', 'task_id', 'map_index'],
          'task_instance',
          ['dag_id', 'run_id', 'task_id', 'map_index'],
          (fk) => fk.onDelete('cascade'),
        ),
    );

    // Keyed by the run's numeric id: (4 + 1000 + 4 + 1000) bytes fits MySQL's index limit.
    await table('xcom').create((b) =>
      b
        .addColumn('dag_run_id', 'integer', (c) => c.notNull().references('dag_run.id').onDelete('cascade'))
        .addColumn('dag_id', t.id, (c) => c.notNull())
        .addColumn('run_id', t.id, (c) => c.notNull())
        .addColumn('task_id', t.id, (c) => c.notNull())
        .addColumn('map_index', 'integer', (c) => c.notNull())
        .addColumn('key', t.id, (c) => c.notNull())
        .addColumn('value', t.document, (c) => c.notNull())
        .addColumn('timestamp', t.millis, (c) => c.notNull())
        .addPrimaryKeyConstraint('xcom_pk', ['dag_run_id', 'task_id', 'map_index', 'key']),
    );

    await table('variable').create((b) =>
      b
        .addColumn('key', t.id, (c) => c.primaryKey())
        .addColumn('val', t.document, (c) => c.notNull())
        .addColumn('description', t.text)
        .addColumn('is_encrypted', 'integer', (c) => c.notNull()),
    );

    await table('connection').create((b) =>
      b
        .addColumn('conn_id', t.id, (c) => c.primaryKey())
        .addColumn('conn_type', t.id, (c) => c.notNull())
        .addColumn('description', t.text)
        .addColumn('host', t.text)
        .addColumn('schema', t.text)
        .addColumn('login', t.text)
        .addColumn('password', t.text)
        .addColumn('port', 'integer')
        .addColumn('extra', t.document),
    );

    await table('slot_pool').create((b) =>
      b
        .addColumn('pool', t.id, (c) => c.primaryKey())
        .addColumn('slots', 'integer', (c) => c.notNull())
        .addColumn('description', t.text)
        .addColumn('include_deferred', 'integer', (c) => c.notNull()),
    );

    await table('import_error').create((b) =>
      b
        .addColumn('filename', t.path, (c) => c.primaryKey())
        .addColumn('message', t.document, (c) => c.notNull())
        .addColumn('stacktrace', t.document, (c) => c.notNull())
        .addColumn('error_code', t.short, (c) => c.notNull())
        .addColumn('timestamp', t.millis, (c) => c.notNull()),
    );

    await table('job').create((b) =>
      withSerialId(t, b)
        .addColumn('job_type', t.short, (c) => c.notNull())
        .addColumn('state', t.short, (c) => c.notNull())
        .addColumn('hostname', t.id, (c) => c.notNull())
        .addColumn('pid', 'integer', (c) => c.notNull())
        .addColumn('start_date', t.millis, (c) => c.notNull())
        .addColumn('end_date', t.millis)
        .addColumn('latest_heartbeat', t.millis, (c) => c.notNull()),
    );
    await db.schema.createIndex('job_type_state_heartbeat').on('job').columns(['job_type', 'state', 'latest_heartbeat']).execute();
  },

  async down(db: Kysely<unknown>) {
    // Children before parents, so foreign keys never block a drop.
    for (const name of INITIAL_TABLES_CHILDREN_FIRST) await db.schema.dropTable(name).ifExists().execute();
  },
};

const INITIAL_TABLES_CHILDREN_FIRST = [
  'job',
  'import_error',
  'slot_pool',
  'connection',
  'variable',
  'xcom',
  'task_reschedule',
  'task_instance_try',
  'task_instance',
  'dag_run',
  'serialized_dag',
  'dag_tag',
  'dag',
];

function withSerialId<C extends string>(t: ColumnTypes, b: CreateTableBuilder<string, C>): CreateTableBuilder<string, C | 'id'> {
  return t.dialect === 'postgres'
    ? b.addColumn('id', t.serial, (c) => c.primaryKey())
    : b.addColumn('id', t.serial, (c) => c.primaryKey().autoIncrement());
}

function withTaskInstanceKey<C extends string>(
  t: ColumnTypes,
  b: CreateTableBuilder<string, C>,
): CreateTableBuilder<string, C | 'dag_id' | 'run_id' | 'task_id' | 'map_index'> {
  return b
    .addColumn('dag_id', t.id, (c) => c.notNull())
    .addColumn('run_id', t.id, (c) => c.notNull())
    .addColumn('task_id', t.id, (c) => c.notNull())
    .addColumn('map_index', 'integer', (c) => c.notNull());
}
