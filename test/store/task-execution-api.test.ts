import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TaskExecutionApi } from '../../src/contracts/task-execution-api.ts';
import {
  createDagRun,
  createStoreTaskExecutionApi,
  getTaskInstance,
  listTaskInstances,
  listTries,
  setConnection,
  setDagRunState,
  setTaskInstanceState,
  setVariable,
  type DagRun,
} from '../../src/store/index.ts';
import { setTryRenderedFields } from '../../src/store/queries/task-tries.ts';
import { createTestStore, DIALECTS } from '../support/databases.ts';
import type { SerializedDag } from '../../src/contracts/serialized-dag.ts';
import { DAY, rejectsWithCode, seedRun, serializedDag, serializedTask, T0 } from './fixtures.ts';

type TestStore = Awaited<ReturnType<typeof createTestStore>>;

const HOST = { hostname: 'worker-1', pid: 4242 };
const NOW = T0 + 2 * DAY;

describe.each(DIALECTS)('store task execution API on %s', (dialect) => {
  let store: TestStore;
  let dag: SerializedDag;
  let run: DagRun;
  let api: TaskExecutionApi;
  let clock: number;
  const tryKey = (taskId: string, tryNumber: number) => ({ dagId: 'etl', runId: run.runId, taskId, mapIndex: -1, tryNumber });

  beforeEach(async () => {
    store = await createTestStore(dialect);
    dag = serializedDag('etl', {
      params: { limit: { default: 10, schema: { type: 'integer' } }, mode: { default: 'full', schema: { type: 'string' } } },
      tasks: [serializedTask('extract', { retries: 1 }), serializedTask('load'), serializedTask('report')],
    });
    run = await seedRun(store, dag, { conf: { limit: 3, extra: 'x' } });
    // Tries start only from `queued`: the scheduler (or `dags test`) queues a TI before it runs.
    for (const taskId of ['extract', 'load', 'report']) await setTaskInstanceState(store.db, tryKey(taskId, 1), { from: ['none'], to: 'queued' });
    clock = NOW;
    api = createStoreTaskExecutionApi(store, { xcomMaxBytes: 64, now: () => clock });
  });
  afterEach(async () => {
    await store.drop();
  });

  it('starts a try: TI running, try row with log path, context with ISO dates and resolved params', async () => {
    await setTaskInstanceState(store.db, tryKey('extract', 1), { to: 'queued' });
    const context = await api.startTry(tryKey('extract', 1), HOST);

    expect(context.dagRun).toEqual({
      dagId: 'etl',
      runId: run.runId,
      runType: 'scheduled',
      state: 'queued',
      logicalDate: '2025-01-01T00:00:00.000Z',
      dataIntervalStart: '2025-01-01T00:00:00.000Z',
      dataIntervalEnd: '2025-01-02T00:00:00.000Z',
      runAfter: '2025-01-02T00:00:00.000Z',
      startDate: null,
      conf: { limit: 3, extra: 'x' },
    });
    expect(context.ti).toEqual({
      ...tryKey('extract', 1),
      maxTries: 1,
      state: 'running',
      hostname: 'worker-1',
      pid: 4242,
      pool: 'default_pool',
      queue: 'default',
      priorityWeight: 1,
      startDate: new Date(NOW).toISOString(),
    });
    expect(context.params).toEqual({ limit: 3, mode: 'full', extra: 'x' });
    expect(context.previous).toEqual({ prevDataIntervalStartSuccess: null, prevDataIntervalEndSuccess: null, prevStartDateSuccess: null, prevEndDateSuccess: null });

    expect(await getTaskInstance(store.db, tryKey('extract', 1))).toMatchObject({ state: 'running', tryNumber: 1, startDate: NOW, lastHeartbeatAt: NOW, hostname: 'worker-1', pid: 4242 });
    const [first] = await listTries(store.db, tryKey('extract', 1));
    expect(first).toMatchObject({
      tryNumber: 1,
      state: 'running',
      startDate: NOW,
      hostname: 'worker-1',
      logPath: `dag_id=etl/run_id=${encodeURIComponent(run.runId)}/task_id=extract/attempt=1.log`,
    });
  });

  it('gives the previous successful run of the DAG to the context', async () => {
    const earlier = await createDagRun(store.db, {
      dagId: 'etl',
      runId: 'earlier',
      runType: 'scheduled',
      logicalDate: T0 - DAY,
      dataIntervalStart: T0 - DAY,
      dataIntervalEnd: T0,
      runAfter: T0,
      dagVersionHash: run.dagVersionHash,
      triggeredBy: 'test',
      state: 'running',
      now: T0 + 1,
    });
    await setDagRunState(store.db, earlier, 'success', T0 + 2);
    const context = await api.startTry(tryKey('load', 1), HOST);
    expect(context.previous).toEqual({
      prevDataIntervalStartSuccess: '2024-12-31T00:00:00.000Z',
      prevDataIntervalEndSuccess: '2025-01-01T00:00:00.000Z',
      prevStartDateSuccess: new Date(T0 + 1).toISOString(),
      prevEndDateSuccess: new Date(T0 + 2).toISOString(),
    });
  });

  it('gives each try started in one batch its own run and that run\'s previous success', async () => {
    // run (T0) succeeded, so it is the previous success of `later`; `run` itself has none.
    const later = await seedRun(store, dag, { runId: 'later', logicalDate: T0 + DAY });
    await setTaskInstanceState(store.db, { dagId: 'etl', runId: 'later', taskId: 'load', mapIndex: -1 }, { from: ['none'], to: 'queued' });
    await setDagRunState(store.db, run, 'success', T0 + DAY);
    const [first, second, third] = await Promise.all([
      api.startTry(tryKey('extract', 1), HOST),
      api.startTry({ dagId: 'etl', runId: 'later', taskId: 'load', mapIndex: -1, tryNumber: 1 }, HOST),
      api.startTry(tryKey('load', 1), HOST),
    ]);
    for (const context of [first, third]) {
      expect(context.dagRun).toMatchObject({ runId: run.runId, logicalDate: new Date(T0).toISOString(), conf: { limit: 3, extra: 'x' } });
      expect(context.previous.prevDataIntervalStartSuccess).toBeNull();
    }
    expect(second.dagRun).toMatchObject({ runId: later.runId, logicalDate: new Date(T0 + DAY).toISOString(), conf: {} });
    expect(second.previous).toMatchObject({ prevDataIntervalStartSuccess: new Date(T0).toISOString(), prevEndDateSuccess: new Date(T0 + DAY).toISOString() });
  });

  it('never starts the same try twice, even concurrently: exactly one wins', async () => {
    const results = await Promise.allSettled([api.startTry(tryKey('extract', 1), HOST), api.startTry(tryKey('extract', 1), { hostname: 'worker-2', pid: 1 })]);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    expect((results.find((result) => result.status === 'rejected') as PromiseRejectedResult).reason).toMatchObject({ code: 'INVALID_STATE_TRANSITION' });
    expect(await listTries(store.db, tryKey('extract', 1))).toHaveLength(1);
    await rejectsWithCode(api.startTry(tryKey('extract', 1), HOST), 'INVALID_STATE_TRANSITION');
  });

  it('refuses to start a try that skips a number, or a finished task instance', async () => {
    await rejectsWithCode(api.startTry(tryKey('extract', 2), HOST), 'INVALID_STATE_TRANSITION');
    await setTaskInstanceState(store.db, tryKey('load', 1), { to: 'success' });
    await rejectsWithCode(api.startTry(tryKey('load', 1), HOST), 'INVALID_STATE_TRANSITION');
    await rejectsWithCode(api.startTry(tryKey('missing', 1), HOST), 'TASK_INSTANCE_NOT_FOUND');
  });

  it('finishes a try with success, recording end and duration on the TI and the try', async () => {
    await api.startTry(tryKey('load', 1), HOST);
    clock = NOW + 1500;
    expect(await api.finishTry(tryKey('load', 1), { state: 'success' })).toBe('success');
    expect(await getTaskInstance(store.db, tryKey('load', 1))).toMatchObject({ state: 'success', endDate: NOW + 1500, durationMs: 1500 });
    expect((await listTries(store.db, tryKey('load', 1)))[0]).toMatchObject({ state: 'success', endDate: NOW + 1500, durationMs: 1500, error: null });
    // Only the running try may finish: a second report is refused.
    await rejectsWithCode(api.finishTry(tryKey('load', 1), { state: 'failed', error: { code: 'TASK_FAILED', message: 'late' } }), 'INVALID_STATE_TRANSITION');
  });

  it('records a success and its return value as the return_value XCom in one write', async () => {
    await api.startTry(tryKey('load', 1), HOST);
    clock = NOW + 1500;
    expect(await api.finishTry(tryKey('load', 1), { state: 'success', returnValue: { rows: 3 } })).toBe('success');
    expect(await getTaskInstance(store.db, tryKey('load', 1))).toMatchObject({ state: 'success', endDate: NOW + 1500 });
    expect(await api.pullXCom({ dagId: 'etl', runId: run.runId, taskId: 'load', key: 'return_value' })).toEqual({ rows: 3 });
    // A success that the compare-and-set refuses leaves no XCom behind.
    await rejectsWithCode(api.finishTry(tryKey('report', 1), { state: 'success', returnValue: 'stale' }), 'INVALID_STATE_TRANSITION');
    expect(await api.pullXCom({ dagId: 'etl', runId: run.runId, taskId: 'report', key: 'return_value' })).toBeUndefined();
  });

  it('refuses a success whose return value is too large: no XCom, and the try stays running', async () => {
    await api.startTry(tryKey('load', 1), HOST);
    await api.startTry(tryKey('report', 1), HOST);
    const tooLarge = 'x'.repeat(63); // 65 bytes as JSON with its quotes
    // Both in one group-commit batch: the refused one rolls back alone.
    const [refused, fits] = await Promise.allSettled([
      api.finishTry(tryKey('load', 1), { state: 'success', returnValue: tooLarge }),
      api.finishTry(tryKey('report', 1), { state: 'success', returnValue: 'fits' }),
    ]);
    expect(refused).toMatchObject({ status: 'rejected', reason: { code: 'XCOM_TOO_LARGE', details: { taskId: 'load', key: 'return_value', size: 65, limit: 64 } } });
    expect(fits).toEqual({ status: 'fulfilled', value: 'success' });
    expect(await api.pullXCom({ dagId: 'etl', runId: run.runId, taskId: 'load', key: 'return_value' })).toBeUndefined();
    expect(await getTaskInstance(store.db, tryKey('load', 1))).toMatchObject({ state: 'running', endDate: null });
    expect((await listTries(store.db, tryKey('load', 1)))[0]).toMatchObject({ state: 'running', endDate: null });
    expect(await api.pullXCom({ dagId: 'etl', runId: run.runId, taskId: 'report', key: 'return_value' })).toBe('fits');
    // The supervisor then records the try as failed.
    expect(await api.finishTry(tryKey('load', 1), { state: 'failed', error: { code: 'XCOM_TOO_LARGE', message: 'too large' } })).toBe('failed');
  });

  it('retries: up_for_retry keeps the error and next attempt, then try 2 starts and the history has both', async () => {
    await api.startTry(tryKey('extract', 1), HOST);
    const error = { code: 'TASK_FAILED' as const, message: 'boom' };
    const nextRetryAt = new Date(NOW + 300_000).toISOString();
    expect(await api.finishTry(tryKey('extract', 1), { state: 'up_for_retry', error, nextRetryAt })).toBe('up_for_retry');
    expect(await getTaskInstance(store.db, tryKey('extract', 1))).toMatchObject({ state: 'up_for_retry', tryNumber: 1, nextAttemptAt: NOW + 300_000 });

    clock = NOW + 300_000;
    await rejectsWithCode(api.startTry(tryKey('extract', 2), HOST), 'INVALID_STATE_TRANSITION');
    await setTaskInstanceState(store.db, tryKey('extract', 1), { from: ['up_for_retry'], to: 'queued' });
    await api.startTry(tryKey('extract', 2), HOST);
    expect(await getTaskInstance(store.db, tryKey('extract', 2))).toMatchObject({ state: 'running', tryNumber: 2, nextAttemptAt: null, endDate: null });
    const tries = await listTries(store.db, tryKey('extract', 2));
    expect(tries.map((entry) => [entry.tryNumber, entry.state, entry.error])).toEqual([
      [1, 'up_for_retry', error],
      [2, 'running', null],
    ]);
  });

  it('reschedules: the same try resumes, with a task_reschedule row per give-back', async () => {
    await api.startTry(tryKey('load', 1), HOST);
    const rescheduleAt = new Date(NOW + 60_000).toISOString();
    clock = NOW + 100;
    expect(await api.finishTry(tryKey('load', 1), { state: 'up_for_reschedule', rescheduleAt })).toBe('up_for_reschedule');
    expect(await getTaskInstance(store.db, tryKey('load', 1))).toMatchObject({ state: 'up_for_reschedule', tryNumber: 1, nextAttemptAt: NOW + 60_000 });
    const reschedules = await store.db.selectFrom('task_reschedule').selectAll().execute();
    expect(reschedules).toEqual([expect.objectContaining({ task_id: 'load', try_number: 1, start_date: NOW, end_date: NOW + 100, reschedule_date: NOW + 60_000 })]);

    // A new try number is not what a reschedule continues, neither before nor after the scheduler queues it again.
    await rejectsWithCode(api.startTry(tryKey('load', 2), HOST), 'INVALID_STATE_TRANSITION');
    await setTaskInstanceState(store.db, tryKey('load', 1), { from: ['up_for_reschedule'], to: 'queued' });
    await rejectsWithCode(api.startTry(tryKey('load', 2), HOST), 'INVALID_STATE_TRANSITION');
    clock = NOW + 60_000;
    await api.startTry(tryKey('load', 1), HOST);
    clock = NOW + 61_000;
    await api.finishTry(tryKey('load', 1), { state: 'success' });
    const tries = await listTries(store.db, tryKey('load', 1));
    expect(tries).toHaveLength(1);
    expect(tries[0]).toMatchObject({ tryNumber: 1, state: 'success', startDate: NOW, durationMs: 61_000 });
  });

  it('records heartbeats of the running try only', async () => {
    await api.startTry(tryKey('load', 1), HOST);
    clock = NOW + 5000;
    await api.heartbeat(tryKey('load', 1));
    expect((await getTaskInstance(store.db, tryKey('load', 1)))?.lastHeartbeatAt).toBe(NOW + 5000);
    await api.finishTry(tryKey('load', 1), { state: 'success' });
    await rejectsWithCode(api.heartbeat(tryKey('load', 1)), 'INVALID_STATE_TRANSITION');
  });

  it('stores rendered fields on the try row', async () => {
    await api.startTry(tryKey('load', 1), HOST);
    await api.setRenderedFields(tryKey('load', 1), { bash_command: 'echo 2025-01-01', env: { A: '1' } });
    expect((await listTries(store.db, tryKey('load', 1)))[0]?.renderedFields).toEqual({ bash_command: 'echo 2025-01-01', env: { A: '1' } });
    await rejectsWithCode(api.setRenderedFields(tryKey('load', 2), {}), 'TASK_INSTANCE_NOT_FOUND');
  });

  it('pushes and pulls XComs, replacing a value pushed again', async () => {
    await api.pushXCom(tryKey('extract', 1), 'return_value', { rows: 3 });
    await api.pushXCom(tryKey('extract', 1), 'return_value', [1, 'two', null]);
    expect(await api.pullXCom({ dagId: 'etl', runId: run.runId, taskId: 'extract', key: 'return_value' })).toEqual([1, 'two', null]);
    expect(await api.pullXCom({ dagId: 'etl', runId: run.runId, taskId: 'extract', key: 'other' })).toBeUndefined();
    await api.pushXCom(tryKey('extract', 1), 'falsy', null);
    expect(await api.pullXCom({ dagId: 'etl', runId: run.runId, taskId: 'extract', key: 'falsy' })).toBeNull();
  });

  it('refuses an XCom above the size bound, naming task, key, size, limit and config key', async () => {
    const value = 'x'.repeat(63); // 65 bytes as JSON with its quotes
    const error = await rejectsWithCode(api.pushXCom(tryKey('extract', 1), 'big', value), 'XCOM_TOO_LARGE');
    expect(error.message).toContain('extract');
    expect(error.message).toContain('big');
    expect(error.message).toContain('65');
    expect(error.message).toContain('64');
    expect(error.hint).toContain('core.xcom_max_size_bytes');
    expect(error.details).toMatchObject({ taskId: 'extract', key: 'big', size: 65, limit: 64, configKey: 'core.xcom_max_size_bytes' });
    await api.pushXCom(tryKey('extract', 1), 'fits', 'x'.repeat(62));
  });

  it('refuses values that have no JSON form', async () => {
    await rejectsWithCode(api.pushXCom(tryKey('extract', 1), 'big', 10n as never), 'XCOM_NOT_JSON');
    await rejectsWithCode(api.pushXCom(tryKey('extract', 1), 'fn', (() => 1) as never), 'XCOM_NOT_JSON');
  });

  it('skips only task instances that have not started', async () => {
    await api.startTry(tryKey('extract', 1), HOST);
    await setTaskInstanceState(store.db, tryKey('load', 1), { to: 'scheduled' });
    await setTaskInstanceState(store.db, tryKey('report', 1), { to: 'none' });
    await api.skipTasks({ dagId: 'etl', runId: run.runId }, ['extract', 'load', 'report']);
    const states = Object.fromEntries((await listTaskInstances(store.db, run)).map((ti) => [ti.taskId, ti.state]));
    expect(states).toEqual({ extract: 'running', load: 'skipped', report: 'skipped' });
  });

  it('starts and ends the tries that report together (one batch on Postgres), each once', async () => {
    const [extract, load, again] = await Promise.allSettled([
      api.startTry(tryKey('extract', 1), HOST),
      api.startTry(tryKey('load', 1), { hostname: 'worker-2', pid: 7 }),
      api.startTry(tryKey('extract', 1), HOST),
    ]);
    expect(extract).toMatchObject({ status: 'fulfilled', value: { ti: { taskId: 'extract', state: 'running', hostname: 'worker-1', pid: 4242 } } });
    expect(load).toMatchObject({ status: 'fulfilled', value: { ti: { taskId: 'load', state: 'running', hostname: 'worker-2', pid: 7 } } });
    // The same try named twice in one turn starts once: the second is refused as any late start is.
    expect(again).toMatchObject({ status: 'rejected', reason: { code: 'INVALID_STATE_TRANSITION' } });
    clock += 5_000;
    const ends = await Promise.all([
      api.finishTry(tryKey('extract', 1), { state: 'success', returnValue: { rows: 7 } }),
      api.finishTry(tryKey('load', 1), { state: 'failed', error: { code: 'TASK_FAILED', message: 'boom' } }),
      rejectsWithCode(api.finishTry(tryKey('report', 1), { state: 'success', returnValue: 'never ran' }), 'INVALID_STATE_TRANSITION'),
    ]);
    expect(ends.slice(0, 2)).toEqual(['success', 'failed']);
    const tis = await Promise.all(['extract', 'load', 'report'].map((taskId) => getTaskInstance(store.db, tryKey(taskId, 1))));
    expect(tis.map((ti) => [ti?.state, ti?.durationMs])).toEqual([['success', 5_000], ['failed', 5_000], ['queued', null]]);
    const tries = await Promise.all(['extract', 'load'].map((taskId) => listTries(store.db, tryKey(taskId, 1))));
    expect(tries.map((rows) => rows.map((row) => [row.state, row.durationMs, row.error]))).toEqual([
      [['success', 5_000, null]],
      [['failed', 5_000, { code: 'TASK_FAILED', message: 'boom' }]],
    ]);
    // Only the accepted success wrote its value.
    expect(await api.pullXCom({ dagId: 'etl', runId: run.runId, taskId: 'extract', key: 'return_value' })).toEqual({ rows: 7 });
    expect(await api.pullXCom({ dagId: 'etl', runId: run.runId, taskId: 'report', key: 'return_value' })).toBeUndefined();
  });

  it('ends a try whose row another transaction changes at the same moment (rendered fields), keeping both writes', async () => {
    await api.startTry(tryKey('extract', 1), HOST);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const rowLocked = new Promise<void>((resolve) => (locked = resolve));
    // Holds the try row (Postgres, MySQL) or the database (SQLite) until released, as a concurrent store of rendered fields would.
    const renderedFields = store.db.transaction().execute(async (trx) => {
      expect(await setTryRenderedFields(trx, tryKey('extract', 1), { bash_command: 'echo 1' })).toBe(true);
      locked();
      await gate;
    });
    await rowLocked;
    clock += 1_000;
    const ending = api.finishTry(tryKey('extract', 1), { state: 'success', returnValue: 1 });
    // Long enough for the end to be waiting on the lock.
    await new Promise((resolve) => setTimeout(resolve, 200));
    release();
    await renderedFields;
    expect(await ending).toBe('success');
    expect((await getTaskInstance(store.db, tryKey('extract', 1)))?.state).toBe('success');
    const [row] = await listTries(store.db, tryKey('extract', 1));
    expect([row?.state, row?.durationMs, row?.renderedFields]).toEqual(['success', 1_000, { bash_command: 'echo 1' }]);
  });

  it('reads variables and connections decrypted', async () => {
    await setVariable(store.db, store.secrets, { key: 'token', value: 's3cr3t', encrypt: true });
    await setConnection(store.db, store.secrets, {
      connId: 'warehouse',
      connType: 'postgres',
      description: null,
      host: 'db',
      schema: 'public',
      login: 'etl',
      password: 'pw',
      port: 5432,
      extra: { sslmode: 'require' },
    });
    expect(await api.getVariable('token')).toBe('s3cr3t');
    expect(await api.getVariable('missing')).toBeNull();
    expect(await api.getConnection('warehouse')).toMatchObject({ password: 'pw', extra: { sslmode: 'require' } });
    expect(await api.getConnection('missing')).toBeNull();
  });
});
