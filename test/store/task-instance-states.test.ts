import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createStoreTaskExecutionApi, getTaskInstance, listTaskInstances, setTaskInstanceState, setTaskInstanceStates, type DagRun } from '../../src/store/index.ts';
import { createTestStore, DIALECTS } from '../support/databases.ts';
import { seedRun, serializedDag, serializedTask, T0 } from './fixtures.ts';

type TestStore = Awaited<ReturnType<typeof createTestStore>>;

describe.each(DIALECTS)('setTaskInstanceStates on %s', (dialect) => {
  let store: TestStore;
  let runs: DagRun[];

  beforeEach(async () => {
    store = await createTestStore(dialect);
    const dag = serializedDag('wide', { tasks: Array.from({ length: 3 }, (_, i) => serializedTask(`t${i}`)) });
    runs = [await seedRun(store, dag, { runId: 'first' }), await seedRun(store, dag, { runId: 'second', logicalDate: T0 + 1 })];
  });
  afterEach(async () => {
    await store.drop();
  });

  const at = (runId: string, taskId: string, tryNumber = 0) => ({ dagId: 'wide', runId, taskId, mapIndex: -1, tryNumber });
  const keyOf = (runId: string, taskId: string) => ({ dagId: 'wide', runId, taskId, mapIndex: -1 });

  it('changes, across runs, only the task instances in `from` at their try number, and returns their keys', async () => {
    await setTaskInstanceState(store.db, keyOf('first', 't1'), { to: 'running' });
    await setTaskInstanceState(store.db, keyOf('second', 't2'), { to: 'none', tryNumber: 3 });
    const changed = await setTaskInstanceStates(store.db, [at('first', 't0'), at('first', 't1'), at('second', 't0'), at('second', 't2')], {
      from: 'none',
      to: 'scheduled',
      now: T0 + 5,
    });
    expect(sortKeys(changed)).toEqual([keyOf('first', 't0'), keyOf('second', 't0')]);
    expect(await getTaskInstance(store.db, keyOf('first', 't0'))).toMatchObject({ state: 'scheduled', scheduledAt: T0 + 5 });
    expect(await getTaskInstance(store.db, keyOf('first', 't1'))).toMatchObject({ state: 'running', scheduledAt: null });
    expect(await getTaskInstance(store.db, keyOf('second', 't2'))).toMatchObject({ state: 'none', tryNumber: 3 });
    expect((await getTaskInstance(store.db, keyOf('first', 't2')))?.state).toBe('none');
  });

  it('sets the fields given along with the state and its stamp', async () => {
    await setTaskInstanceStates(store.db, [at('first', 't0'), at('first', 't1')], { from: 'none', to: 'scheduled', now: T0 });
    const queued = await setTaskInstanceStates(store.db, [at('first', 't0'), at('first', 't1')], {
      from: 'scheduled',
      to: 'queued',
      now: T0 + 9,
      queuedByJobId: 42,
      executor: 'LocalExecutor',
    });
    expect(sortKeys(queued)).toEqual([keyOf('first', 't0'), keyOf('first', 't1')]);
    expect(await getTaskInstance(store.db, keyOf('first', 't1'))).toMatchObject({ state: 'queued', queuedAt: T0 + 9, executor: 'LocalExecutor' });
    const row = await store.db.selectFrom('task_instance').select('queued_by_job_id').where('run_id', '=', 'first').where('task_id', '=', 't1').executeTakeFirstOrThrow();
    expect(row.queued_by_job_id).toBe(42);
  });

  it('changes more task instances than one statement takes', async () => {
    const wide = serializedDag('huge', { tasks: Array.from({ length: 1_100 }, (_, i) => serializedTask(`t${String(i).padStart(4, '0')}`)) });
    const run = await seedRun(store, wide, { runId: 'huge' });
    const tis = (await listTaskInstances(store.db, run)).map((ti) => ({ ...ti, tryNumber: ti.tryNumber }));
    const changed = await setTaskInstanceStates(store.db, tis, { from: 'none', to: 'scheduled', now: T0 });
    expect(changed).toHaveLength(1_100);
    const counted = await store.db
      .selectFrom('task_instance')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('dag_id', '=', 'huge')
      .where('state', '=', 'scheduled')
      .executeTakeFirstOrThrow();
    expect(Number(counted.n)).toBe(1_100);
  });

  it('changes nothing for an empty list', async () => {
    expect(await setTaskInstanceStates(store.db, [], { from: 'none', to: 'scheduled', now: T0 })).toEqual([]);
    expect((await listTaskInstances(store.db, runs[0]!)).every((ti) => ti.state === 'none')).toBe(true);
  });
});

describe('task instance indexes on Postgres before any ANALYZE', () => {
  let store: TestStore;
  beforeEach(async () => {
    store = await createTestStore('postgres');
  });
  afterEach(async () => {
    await store.drop();
  });

  it('find one task instance by its primary key, not by scanning its run', async () => {
    const dag = serializedDag('wide', { tasks: Array.from({ length: 500 }, (_, i) => serializedTask(`t${String(i).padStart(3, '0')}`)) });
    await seedRun(store, dag, { runId: 'only' });
    const plan = await sql<{ 'QUERY PLAN': string }>`explain select * from task_instance where dag_id = ${'wide'} and run_id = ${'only'} and task_id = ${'t250'} and map_index = ${-1}`.execute(store.db);
    expect(plan.rows[0]!['QUERY PLAN']).toContain('task_instance_pk');
  });
});

function sortKeys<T extends { runId: string; taskId: string }>(keys: T[]): T[] {
  return [...keys].sort((a, b) => `${a.runId}/${a.taskId}`.localeCompare(`${b.runId}/${b.taskId}`));
}

describe.each(DIALECTS)('tries recorded in one group-commit batch on %s', (dialect) => {
  let store: TestStore;
  beforeEach(async () => {
    store = await createTestStore(dialect);
  });
  afterEach(async () => {
    await store.drop();
  });

  it('start and end together with their try rows, more of them than a statement is prepared for', async () => {
    const taskIds = Array.from({ length: 40 }, (_, i) => `t${String(i).padStart(2, '0')}`);
    const run = await seedRun(store, serializedDag('batch', { tasks: taskIds.map((taskId) => serializedTask(taskId)) }), { runId: 'r' });
    const tis = taskIds.map((taskId) => ({ dagId: 'batch', runId: run.runId, taskId, mapIndex: -1, tryNumber: 0 }));
    await setTaskInstanceStates(store.db, tis, { from: 'none', to: 'scheduled', now: T0 });
    await setTaskInstanceStates(store.db, tis, { from: 'scheduled', to: 'queued', now: T0 });
    let clock = T0 + 1_000;
    const api = createStoreTaskExecutionApi(store, { xcomMaxBytes: 1_000, now: () => clock });
    const keys = tis.map((ti) => ({ ...ti, tryNumber: 1 }));
    const contexts = await Promise.all(keys.map((key, i) => api.startTry(key, { hostname: 'h', pid: 100 + i })));
    expect(contexts.map((context) => context.ti.taskId)).toEqual(taskIds);
    expect(contexts[7]!.dagRun.runId).toBe('r');
    clock += 250;
    const states = await Promise.all(keys.map((key, i) => api.finishTry(key, i === 3 ? { state: 'failed', error: { code: 'TASK_FAILED', message: 'boom' } } : { state: 'success' })));
    expect(states.filter((state) => state === 'success')).toHaveLength(39);
    const tries = await store.db.selectFrom('task_instance_try').selectAll().where('dag_id', '=', 'batch').orderBy('task_id').execute();
    expect(tries).toHaveLength(40);
    expect(tries.map((row) => [row.state, row.start_date, row.end_date, Number(row.duration_ms), row.pid])[3]).toEqual(['failed', T0 + 1_000, T0 + 1_250, 250, 103]);
    expect(tries.filter((row) => row.state === 'success' && Number(row.duration_ms) === 250 && row.error === null)).toHaveLength(39);
    expect(JSON.parse(tries[3]!.error!)).toMatchObject({ message: 'boom' });
  });
});
