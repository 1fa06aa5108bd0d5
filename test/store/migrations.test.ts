import { Migrator, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getPool, migrate, pendingMigrations, resetDatabase, setVariable } from '../../src/store/index.ts';
import { MIGRATIONS } from '../../src/store/migrations/migrator.ts';
import { createTestStore, DIALECTS } from '../support/databases.ts';
import { seedRun, serializedDag, serializedTask, T0 } from './fixtures.ts';

/** Every migration, in order: the list a fresh database applies. */
const ALL_MIGRATIONS = Object.keys(MIGRATIONS);

type TestStore = Awaited<ReturnType<typeof createTestStore>>;

describe.each(DIALECTS)('migrations on %s', (dialect) => {
  let store: TestStore;
  beforeEach(async () => {
    store = await createTestStore(dialect, { migrate: false });
  });
  afterEach(async () => {
    await store.drop();
  });

  it('reports every migration as pending on an empty database, applies them once, then none', async () => {
    expect(await pendingMigrations(store.db)).toEqual(ALL_MIGRATIONS);
    expect(await migrate(store.db, { defaultPoolSlots: 7 })).toEqual({ applied: ALL_MIGRATIONS });
    expect(await pendingMigrations(store.db)).toEqual([]);
    expect(await migrate(store.db)).toEqual({ applied: [] });
  });

  it('creates default_pool with the given slots and keeps them on later migrations', async () => {
    await migrate(store.db, { defaultPoolSlots: 7 });
    await migrate(store.db, { defaultPoolSlots: 99 });
    expect((await getPool(store.db, 'default_pool'))?.slots).toBe(7);
  });

  it('reset drops all data and leaves a migrated schema with a fresh default pool', async () => {
    await migrate(store.db);
    await setVariable(store.db, store.secrets, { key: 'gone', value: 'soon' });
    await resetDatabase(store.db, { defaultPoolSlots: 3 });
    expect(await pendingMigrations(store.db)).toEqual([]);
    expect(await store.db.selectFrom('variable').selectAll().execute()).toEqual([]);
    expect((await getPool(store.db, 'default_pool'))?.slots).toBe(3);
  });

  it("0006 copies each run's logical date onto the task instances that exist when it runs", async () => {
    await migrate(store.db);
    const dag = serializedDag('older', { tasks: [serializedTask('a'), serializedTask('b')] });
    await seedRun(store, dag, { runId: 'first', logicalDate: T0 });
    await seedRun(store, dag, { runId: 'second', logicalDate: T0 + 60_000 });
    // Back to before 0006 (which drops the column), then forward again, as an upgrade does.
    const schema = dialect === 'postgres' ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(store.db)).rows[0]!.schema : undefined;
    const migrator = new Migrator({ db: store.db, provider: { getMigrations: async () => MIGRATIONS }, ...(schema === undefined ? {} : { migrationTableSchema: schema }) });
    expect((await migrator.migrateTo('0005-state-first-index')).results?.map((result) => [result.migrationName, result.status])).toEqual([
      ['0008-run-key-lookups', 'Success'],
      ['0007-scheduled-claim-predicate', 'Success'],
      ['0006-scheduled-claim-index', 'Success'],
    ]);
    await migrate(store.db);
    const rows = await store.db.selectFrom('task_instance').select(['run_id', 'task_id', 'run_logical_date']).orderBy('run_id').orderBy('task_id').execute();
    expect(rows.map((row) => [row.run_id, row.task_id, Number(row.run_logical_date)])).toEqual([
      ['first', 'a', T0],
      ['first', 'b', T0],
      ['second', 'a', T0 + 60_000],
      ['second', 'b', T0 + 60_000],
    ]);
  });

  it('runs concurrent migrations safely', async () => {
    const results = await Promise.all([migrate(store.db), migrate(store.db)]);
    expect(results.flatMap((result) => result.applied)).toEqual(ALL_MIGRATIONS);
  });
});
