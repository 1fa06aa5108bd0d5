import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDagRun, deleteDagRun, getDagRun, getDagRunWithPreviousSuccess, listDagRuns, setDagRunState, type NewDagRun } from '../../src/store/index.ts';
import { createTestStore, DIALECTS } from '../support/databases.ts';
import { DAY, rejectsWithCode, seedDag, serializedDag, T0 } from './fixtures.ts';

type TestStore = Awaited<ReturnType<typeof createTestStore>>;

/** Resolves once a session of this Postgres database waits for a lock another transaction holds. */
async function waitUntilALockIsAwaited(db: TestStore['db']): Promise<void> {
  for (let attempt = 0; attempt < 500; attempt += 1) {
    const { rows } = await sql<{ waiting: number }>`select count(*)::int as waiting from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`.execute(db);
    if (rows[0]!.waiting > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('no session waited for a lock within 5 s');
}

describe.each(DIALECTS)('dag runs on %s', (dialect) => {
  let store: TestStore;
  let versionHash: string;
  const newRun = (runId: string, logicalDate: number | null, overrides: Partial<NewDagRun> = {}): NewDagRun => ({
    dagId: 'etl',
    runId,
    runType: 'scheduled',
    logicalDate,
    dataIntervalStart: logicalDate,
    dataIntervalEnd: logicalDate === null ? null : logicalDate + DAY,
    runAfter: (logicalDate ?? T0) + DAY,
    dagVersionHash: versionHash,
    triggeredBy: 'scheduler',
    now: T0 + 5,
    ...overrides,
  });

  beforeEach(async () => {
    store = await createTestStore(dialect);
    versionHash = await seedDag(store, serializedDag('etl'));
  });
  afterEach(async () => {
    await store.drop();
  });

  if (dialect === 'postgres') {
    // A failed statement aborts a Postgres transaction: the run-creation phase, which goes on after
    // a run someone created meanwhile, needs the conflict to leave its transaction usable.
    it('refuses a run that a concurrent transaction takes, and leaves the transaction usable', async () => {
      let commitFirst!: () => void;
      let firstInserted!: () => void;
      const inserted = new Promise<void>((resolve) => (firstInserted = resolve));
      const first = store.db.transaction().execute(async (trx) => {
        await createDagRun(trx, newRun('race', T0));
        firstInserted();
        await new Promise<void>((resolve) => (commitFirst = resolve));
      });
      await inserted;
      const second = store.db.transaction().execute(async (trx) => {
        // Its insert waits for the first transaction's key: neither transaction sees the other's row yet.
        const refused = rejectsWithCode(createDagRun(trx, newRun('race', T0 + DAY)), 'DAG_RUN_EXISTS');
        await waitUntilALockIsAwaited(store.db);
        commitFirst();
        await refused;
        await createDagRun(trx, newRun('after_the_race', T0 + 2 * DAY));
      });
      await Promise.all([first, second]);
      const runs = await listDagRuns(store.db, { limit: 10, offset: 0, order: 'run_after_asc' });
      expect(runs.runs.map((run) => [run.runId, run.logicalDate])).toEqual([
        ['race', T0],
        ['after_the_race', T0 + 2 * DAY],
      ]);
    });
  }

  it('creates a queued run and reads it back with parsed conf', async () => {
    const run = await createDagRun(store.db, newRun('r1', T0, { conf: { a: [1, { b: null }] }, runType: 'manual', note: 'hi' }));
    expect(run).toEqual({
      id: expect.any(Number),
      dagId: 'etl',
      runId: 'r1',
      runType: 'manual',
      state: 'queued',
      logicalDate: T0,
      dataIntervalStart: T0,
      dataIntervalEnd: T0 + DAY,
      runAfter: T0 + DAY,
      queuedAt: T0 + 5,
      startDate: null,
      endDate: null,
      conf: { a: [1, { b: null }] },
      note: 'hi',
      dagVersionHash: versionHash,
      triggeredBy: 'scheduler',
      clearNumber: 0,
      lastSchedulingDecision: null,
    });
    expect(await getDagRun(store.db, { dagId: 'etl', runId: 'r1' })).toEqual(run);
    expect(await getDagRun(store.db, { dagId: 'etl', runId: 'R1' })).toBeNull();
  });

  it('refuses a duplicate run id or logical date with DAG_RUN_EXISTS', async () => {
    await createDagRun(store.db, newRun('r1', T0));
    const sameId = await rejectsWithCode(createDagRun(store.db, newRun('r1', T0 + DAY)), 'DAG_RUN_EXISTS');
    expect(sameId.details).toMatchObject({ dagId: 'etl', runId: 'r1' });
    await rejectsWithCode(createDagRun(store.db, newRun('r2', T0)), 'DAG_RUN_EXISTS');
    // Runs without a logical date never collide on it.
    await createDagRun(store.db, newRun('m1', null));
    await createDagRun(store.db, newRun('m2', null));
  });

  it('turns a unique violation from a racing creator into DAG_RUN_EXISTS', async () => {
    const results = await Promise.allSettled([createDagRun(store.db, newRun('race', T0)), createDagRun(store.db, newRun('race', T0))]);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    const failure = results.find((result) => result.status === 'rejected');
    expect((failure as PromiseRejectedResult).reason).toMatchObject({ code: 'DAG_RUN_EXISTS' });
  });

  it('sets start and end dates with the state', async () => {
    const key = { dagId: 'etl', runId: 'r1' };
    await createDagRun(store.db, newRun('r1', T0));
    await setDagRunState(store.db, key, 'running', T0 + 10);
    await setDagRunState(store.db, key, 'running', T0 + 20);
    expect(await getDagRun(store.db, key)).toMatchObject({ state: 'running', startDate: T0 + 10, endDate: null });
    await setDagRunState(store.db, key, 'failed', T0 + 30);
    expect(await getDagRun(store.db, key)).toMatchObject({ state: 'failed', startDate: T0 + 10, endDate: T0 + 30 });
    await setDagRunState(store.db, key, 'queued', T0 + 40);
    expect(await getDagRun(store.db, key)).toMatchObject({ state: 'queued', queuedAt: T0 + 40, startDate: null, endDate: null });
    expect(await setDagRunState(store.db, { dagId: 'etl', runId: 'missing' }, 'running', T0)).toBe(false);
  });

  it('lists with filters and paging, newest first', async () => {
    for (let day = 0; day < 5; day += 1) await createDagRun(store.db, newRun(`r${day}`, T0 + day * DAY, { state: day % 2 === 0 ? 'success' : 'failed' }));
    const all = await listDagRuns(store.db, { dagId: 'etl', limit: 2, offset: 1 });
    expect([all.runs.map((run) => run.runId), all.total]).toEqual([['r3', 'r2'], 5]);
    const failed = await listDagRuns(store.db, { states: ['failed'], limit: 10, offset: 0, order: 'run_after_asc' });
    expect(failed.runs.map((run) => run.runId)).toEqual(['r1', 'r3']);
    const window = await listDagRuns(store.db, { logicalDateFrom: T0 + DAY, logicalDateTo: T0 + 2 * DAY, limit: 10, offset: 0 });
    expect(window.runs.map((run) => run.runId)).toEqual(['r2', 'r1']);
    expect((await listDagRuns(store.db, { states: [], limit: 10, offset: 0 })).total).toBe(0);
  });

  it('finds the previous successful run before a logical date', async () => {
    await createDagRun(store.db, newRun('r0', T0, { state: 'success' }));
    await createDagRun(store.db, newRun('r1', T0 + DAY, { state: 'failed' }));
    await createDagRun(store.db, newRun('r2', T0 + 2 * DAY, { state: 'running' }));
    const r2 = await getDagRunWithPreviousSuccess(store.db, { dagId: 'etl', runId: 'r2' });
    expect([r2?.run.runId, r2?.previousSuccess?.runId]).toEqual(['r2', 'r0']);
    expect(r2?.previousSuccess?.dataIntervalStart).toBe(T0);
    expect((await getDagRunWithPreviousSuccess(store.db, { dagId: 'etl', runId: 'r0' }))?.previousSuccess).toBeNull();
    expect(await getDagRunWithPreviousSuccess(store.db, { dagId: 'etl', runId: 'missing' })).toBeNull();
    // A run without a logical date has no previous run to speak of.
    await createDagRun(store.db, newRun('asset_triggered', null, { state: 'running' }));
    expect((await getDagRunWithPreviousSuccess(store.db, { dagId: 'etl', runId: 'asset_triggered' }))?.previousSuccess).toBeNull();
  });

  it('deletes runs by run id or logical date', async () => {
    await createDagRun(store.db, newRun('r0', T0));
    await createDagRun(store.db, newRun('r1', T0 + DAY));
    await createDagRun(store.db, newRun('r2', T0 + 2 * DAY));
    expect(await deleteDagRun(store.db, { dagId: 'etl', runId: 'r0', logicalDate: T0 + DAY })).toBe(2);
    expect((await listDagRuns(store.db, { limit: 10, offset: 0 })).runs.map((run) => run.runId)).toEqual(['r2']);
    expect(await deleteDagRun(store.db, { dagId: 'etl' })).toBe(0);
  });
});
