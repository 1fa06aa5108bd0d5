import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  deletePool,
  endJob,
  getPool,
  heartbeatJob,
  listAliveJobs,
  listPools,
  setPool,
  setTaskInstanceState,
  startJob,
} from '../../src/store/index.ts';
import { createTestStore, DIALECTS } from '../support/databases.ts';
import { rejectsWithCode, seedRun, serializedDag, serializedTask, T0 } from './fixtures.ts';

type TestStore = Awaited<ReturnType<typeof createTestStore>>;

describe.each(DIALECTS)('pools on %s', (dialect) => {
  let store: TestStore;
  beforeEach(async () => {
    store = await createTestStore(dialect);
  });
  afterEach(async () => {
    await store.drop();
  });

  it('counts running, queued and deferred slots of task instances per pool', async () => {
    await setPool(store.db, { name: 'db', slots: 10, description: 'database' });
    const tasks = ['a', 'b', 'c', 'd'].map((taskId) => serializedTask(taskId, { pool: 'db', poolSlots: 2 }));
    const run = await seedRun(store, serializedDag('etl', { tasks: [...tasks, serializedTask('e')] }));
    const key = (taskId: string) => ({ dagId: 'etl', runId: run.runId, taskId, mapIndex: -1 });
    await setTaskInstanceState(store.db, key('a'), { to: 'running' });
    await setTaskInstanceState(store.db, key('b'), { to: 'queued' });
    await setTaskInstanceState(store.db, key('c'), { to: 'deferred' });
    await setTaskInstanceState(store.db, key('e'), { to: 'running' });

    expect(await getPool(store.db, 'db')).toEqual({
      name: 'db',
      slots: 10,
      description: 'database',
      includeDeferred: false,
      runningSlots: 2,
      queuedSlots: 2,
      deferredSlots: 2,
      occupiedSlots: 4,
      openSlots: 6,
    });
    await setPool(store.db, { name: 'db', slots: 5, includeDeferred: true });
    expect(await getPool(store.db, 'db')).toMatchObject({ slots: 5, description: null, occupiedSlots: 6, openSlots: -1 });
    expect((await listPools(store.db)).map((pool) => [pool.name, pool.runningSlots])).toEqual([
      ['db', 2],
      ['default_pool', 1],
    ]);
  });

  it('deletes pools but never default_pool', async () => {
    await setPool(store.db, { name: 'tmp', slots: 1 });
    expect(await deletePool(store.db, 'tmp')).toBe(true);
    expect(await deletePool(store.db, 'tmp')).toBe(false);
    expect(await getPool(store.db, 'tmp')).toBeNull();
    await rejectsWithCode(deletePool(store.db, 'default_pool'), 'INVALID_ARGUMENT');
    expect(await getPool(store.db, 'default_pool')).not.toBeNull();
  });
});

describe.each(DIALECTS)('jobs on %s', (dialect) => {
  let store: TestStore;
  beforeEach(async () => {
    store = await createTestStore(dialect);
  });
  afterEach(async () => {
    await store.drop();
  });

  it('starts, heartbeats and ends jobs; lists those alive since a time', async () => {
    const scheduler = await startJob(store.db, { jobType: 'scheduler', hostname: 'h1', pid: 10, now: T0 });
    const processor = await startJob(store.db, { jobType: 'dag_processor', hostname: 'h1', pid: 11, now: T0 });
    expect(scheduler).toEqual({ id: expect.any(Number), jobType: 'scheduler', state: 'running', hostname: 'h1', pid: 10, startDate: T0, endDate: null, latestHeartbeat: T0 });
    expect(processor.id).not.toBe(scheduler.id);

    expect(await heartbeatJob(store.db, scheduler.id, T0 + 30_000)).toBe(true);
    expect((await listAliveJobs(store.db, { since: T0 + 10_000 })).map((job) => job.id)).toEqual([scheduler.id]);
    expect(await listAliveJobs(store.db, { since: T0, jobType: 'dag_processor' })).toEqual([processor]);

    expect(await endJob(store.db, scheduler.id, 'success', T0 + 40_000)).toBe(true);
    expect(await heartbeatJob(store.db, scheduler.id, T0 + 50_000)).toBe(false);
    expect(await listAliveJobs(store.db, { since: 0, jobType: 'scheduler' })).toEqual([]);
  });
});
