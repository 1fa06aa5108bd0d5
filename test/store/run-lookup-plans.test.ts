import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDagRun, startQueuedRun } from '../../src/store/index.ts';
import { createTestStore } from '../support/databases.ts';
import { seedRun, serializedDag, serializedTask, T0 } from './fixtures.ts';

type TestStore = Awaited<ReturnType<typeof createTestStore>>;

/** The prepared (generic) plan of `query` on a database without statistics, as a new one is (ADR 0014). */
async function genericPlan(store: TestStore, query: string, args: string): Promise<string> {
  return store.db.connection().execute(async (connection) => {
    await sql`set plan_cache_mode = force_generic_plan`.execute(connection);
    try {
      await sql.raw(`prepare probe as ${query}`).execute(connection);
      const { rows } = await sql.raw<{ 'QUERY PLAN': string }>(`explain execute probe(${args})`).execute(connection);
      await sql`deallocate probe`.execute(connection);
      return rows.map((row) => row['QUERY PLAN']).join('\n');
    } finally {
      await sql`reset plan_cache_mode`.execute(connection);
    }
  });
}

describe('the look-ups of runs on Postgres without statistics (migration 0008)', () => {
  let store: TestStore;
  beforeEach(async () => {
    store = await createTestStore('postgres');
    const dag = serializedDag('looked_up', { tasks: [serializedTask('only')] });
    for (let index = 0; index < 50; index += 1) {
      const run = await seedRun(store, dag, { runId: `run_${index}`, logicalDate: T0 + index });
      if (index % 2 === 0) await startQueuedRun(store.db, run, T0);
    }
  });
  afterEach(async () => {
    await store.drop();
  });

  it('seeks the (dag_id, run_id) key for a run by its key', async () => {
    const plan = await genericPlan(store, 'select id from dag_run where dag_id = $1 and run_id = $2', `'looked_up', 'run_7'`);
    expect(plan).toContain('using dag_run_dag_id_run_id');
    expect(plan).not.toContain('Filter');
  });

  it('still finds the latest earlier run by logical date through (dag_id, logical_date)', async () => {
    const plan = await genericPlan(
      store,
      'select id from dag_run where dag_id = $1 and logical_date < $2::bigint order by logical_date desc limit 1',
      `'looked_up', '${T0 + 10}'`,
    );
    expect(plan).toContain('Index Scan Backward using dag_run_dag_id_logical_date');
  });

  it('keeps one run per logical date, and any number without one', async () => {
    const run = (runId: string, logicalDate: number | null) =>
      createDagRun(store.db, {
        dagId: 'looked_up',
        runId,
        runType: 'manual',
        logicalDate,
        dataIntervalStart: null,
        dataIntervalEnd: null,
        runAfter: T0,
        dagVersionHash: 'h',
        triggeredBy: 'test',
        now: T0,
      });
    await run('no_date_1', null);
    await run('no_date_2', null);
    await expect(store.db.insertInto('dag_run').values({ dag_id: 'looked_up', run_id: 'same_date', run_type: 'manual', state: 'queued', logical_date: T0, run_after: T0, conf: '{}', dag_version_hash: 'h', triggered_by: 'test' }).execute()).rejects.toThrow(/dag_run_dag_id_logical_date/);
  });
});
