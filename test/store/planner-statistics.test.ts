import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { analyzeNewHistoryTables } from '../../src/store/index.ts';
import { createTestStore, DIALECTS } from '../support/databases.ts';
import { seedRun, serializedDag, serializedTask } from './fixtures.ts';

type TestStore = Awaited<ReturnType<typeof createTestStore>>;

describe.each(DIALECTS)('statistics of a new database on %s', (dialect) => {
  let store: TestStore;
  beforeEach(async () => {
    store = await createTestStore(dialect);
  });
  afterEach(async () => {
    await store.drop();
  });

  /** `count` more try rows of one task instance, numbered after those it has. */
  async function addTries(count: number): Promise<void> {
    const run = await seedRun(store, serializedDag('history', { tasks: [serializedTask('busy')] }), { runId: `run_${count}`, logicalDate: count });
    const rows = Array.from({ length: count }, (_, index) => ({
      dag_id: 'history',
      run_id: run.runId,
      task_id: 'busy',
      map_index: -1,
      try_number: index + 1,
      state: 'success',
      hostname: 'host',
      pool: 'default_pool',
      queue: 'default',
      operator: 'PythonOperator',
      log_path: `attempt=${index + 1}.log`,
    }));
    for (let start = 0; start < rows.length; start += 500) await store.db.insertInto('task_instance_try').values(rows.slice(start, start + 500)).execute();
  }

  it('analyzes the try history once it has grown, if nothing has analyzed it yet, then leaves it to autovacuum', async () => {
    await addTries(100);
    expect(await analyzeNewHistoryTables(store.db)).toEqual([]);
    await addTries(1_000);
    if (dialect !== 'postgres') {
      expect(await analyzeNewHistoryTables(store.db)).toEqual([]);
      return;
    }
    // The row counts reach pg_stat_user_tables within about a second of the commits.
    await expect.poll(() => analyzeNewHistoryTables(store.db), { timeout: 5_000, interval: 200 }).toEqual(['task_instance_try']);
    const { rows } = await sql<{ analyzed: boolean; reltuples: number }>`
      select s.last_analyze is not null as analyzed, c.reltuples
      from pg_stat_user_tables s join pg_class c on c.oid = s.relid
      where s.schemaname = current_schema() and s.relname = 'task_instance_try'`.execute(store.db);
    expect(rows[0]).toEqual({ analyzed: true, reltuples: 1_100 });
    expect(await analyzeNewHistoryTables(store.db)).toEqual([]);
  });
});
