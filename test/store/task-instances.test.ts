import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createTaskInstances,
  getTaskInstance,
  listTaskInstances,
  nextSchedulingDeadline,
  setTaskInstanceState,
  setTaskInstanceStates,
  type DagRun,
} from '../../src/store/index.ts';
import { createTestStore, DIALECTS } from '../support/databases.ts';
import { seedRun, serializedDag, serializedTask, T0 } from './fixtures.ts';

type TestStore = Awaited<ReturnType<typeof createTestStore>>;

describe.each(DIALECTS)('task instances on %s', (dialect) => {
  let store: TestStore;
  let run: DagRun;
  const key = (taskId: string) => ({ dagId: 'etl', runId: run.runId, taskId, mapIndex: -1 });

  beforeEach(async () => {
    store = await createTestStore(dialect);
    const dag = serializedDag('etl', {
      tasks: [serializedTask('extract', { retries: 2, pool: 'db', poolSlots: 3, queue: 'io', priorityWeight: 7, executor: 'LocalExecutor' }), serializedTask('load')],
    });
    run = await seedRun(store, dag);
  });
  afterEach(async () => {
    await store.drop();
  });

  it('creates task instances in state none with try 0, max tries = retries', async () => {
    const instances = await listTaskInstances(store.db, run);
    expect(instances.map((ti) => ti.taskId)).toEqual(['extract', 'load']);
    expect(instances[0]).toEqual({
      ...key('extract'),
      tryNumber: 0,
      maxTries: 2,
      state: 'none',
      startDate: null,
      endDate: null,
      durationMs: null,
      hostname: '',
      pid: null,
      pool: 'db',
      poolSlots: 3,
      queue: 'io',
      priorityWeight: 7,
      operator: 'BashOperator',
      executor: 'LocalExecutor',
      queuedAt: null,
      scheduledAt: null,
      nextAttemptAt: null,
      lastHeartbeatAt: null,
      dagVersionHash: run.dagVersionHash,
      note: null,
    });
    expect(await getTaskInstance(store.db, key('missing'))).toBeNull();
  });

  it('bulk-creates more task instances than fit one statement, each with its own values', async () => {
    const tasks = Array.from({ length: 1_200 }, (_unused, index) => ({
      ...serializedTask('mapped', { pool: index % 2 === 0 ? 'even' : 'odd', priorityWeight: index, retries: index % 3 }),
      mapIndex: index,
    }));
    await createTaskInstances(store.db, run, tasks);
    const instances = await listTaskInstances(store.db, run);
    expect(instances).toHaveLength(1_202);
    // Rows of the large statements and of the last, smaller one (1,200 = 500 + 500 + 200).
    for (const mapIndex of [0, 499, 500, 777, 1_199]) {
      expect(instances.find((ti) => ti.taskId === 'mapped' && ti.mapIndex === mapIndex)).toMatchObject({
        state: 'none',
        tryNumber: 0,
        pool: mapIndex % 2 === 0 ? 'even' : 'odd',
        priorityWeight: mapIndex,
        maxTries: mapIndex % 3,
        dagVersionHash: run.dagVersionHash,
      });
    }
  });

  it('compare-and-set changes the state only from the expected states and try', async () => {
    expect(await setTaskInstanceState(store.db, key('extract'), { from: ['queued'], to: 'running' })).toBe(false);
    expect(await setTaskInstanceState(store.db, key('extract'), { from: ['none'], to: 'scheduled', now: T0 })).toBe(true);
    expect(await getTaskInstance(store.db, key('extract'))).toMatchObject({ state: 'scheduled', scheduledAt: T0 });
    expect(await setTaskInstanceState(store.db, key('extract'), { from: ['scheduled'], whenTryNumber: 1, to: 'queued' })).toBe(false);
    expect(await setTaskInstanceState(store.db, key('extract'), { from: ['scheduled'], whenTryNumber: 0, to: 'queued', now: T0 + 1 })).toBe(true);
    expect(await getTaskInstance(store.db, key('extract'))).toMatchObject({ state: 'queued', queuedAt: T0 + 1 });
    expect(await setTaskInstanceState(store.db, key('extract'), { from: [], to: 'failed' })).toBe(false);
    // Without `from` it is a plain write; a finished state stamps end_date.
    expect(await setTaskInstanceState(store.db, key('extract'), { to: 'failed', now: T0 + 2 })).toBe(true);
    expect(await getTaskInstance(store.db, key('extract'))).toMatchObject({ state: 'failed', endDate: T0 + 2 });
    expect(await setTaskInstanceState(store.db, key('missing'), { to: 'failed' })).toBe(false);
  });

  it('reports a change even when the new state equals the old one', async () => {
    expect(await setTaskInstanceState(store.db, key('load'), { from: ['none'], to: 'none' })).toBe(true);
  });

  it('lets exactly one of two concurrent writers win a compare-and-set', async () => {
    const attempts = await Promise.all(
      [1, 2].map(() => setTaskInstanceState(store.db, key('load'), { from: ['none'], to: 'scheduled' })),
    );
    expect(attempts.filter(Boolean)).toHaveLength(1);
  });

  it('queues only scheduled task instances, recording the executor', async () => {
    const load = { ...key('load'), tryNumber: 0 };
    expect(await setTaskInstanceStates(store.db, [load], { from: 'scheduled', to: 'queued', now: T0 })).toEqual([]);
    await setTaskInstanceState(store.db, key('load'), { to: 'scheduled' });
    expect(await setTaskInstanceStates(store.db, [load], { from: 'scheduled', to: 'queued', now: T0 + 1, executor: 'CeleryExecutor' })).toEqual([key('load')]);
    expect(await getTaskInstance(store.db, key('load'))).toMatchObject({ state: 'queued', queuedAt: T0 + 1, executor: 'CeleryExecutor' });
  });

  it('finds the next instant at which time alone brings the scheduler work', async () => {
    expect(await nextSchedulingDeadline(store.db, T0)).toBeNull();
    await store.db.updateTable('dag').set({ next_dagrun_create_after: T0 + 5_000 }).where('dag_id', '=', 'etl').execute();
    expect(await nextSchedulingDeadline(store.db, T0)).toBe(T0 + 5_000);
    await setTaskInstanceState(store.db, key('extract'), { to: 'up_for_retry', nextAttemptAt: T0 + 2_000 });
    expect(await nextSchedulingDeadline(store.db, T0)).toBe(T0 + 2_000);
    // Instants already past are blocked by something else, not waiting on time.
    expect(await nextSchedulingDeadline(store.db, T0 + 3_000)).toBe(T0 + 5_000);
    await store.db.updateTable('dag').set({ is_paused: 1 }).where('dag_id', '=', 'etl').execute();
    expect(await nextSchedulingDeadline(store.db, T0 + 3_000)).toBeNull();
  });
});
