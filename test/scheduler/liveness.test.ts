import { afterEach, describe, expect, it } from 'vitest';
import { triggerDagRun } from '../../src/operations/trigger-dag-run.ts';
import {
  createStoreTaskExecutionApi,
  getDagRun,
  getTaskInstance,
  listAliveJobs,
  listTries,
  setTaskInstanceStates,
  setTaskInstanceState,
  startJob,
  type DagRun,
} from '../../src/store/index.ts';
import { seedDag, serializedDag, serializedTask } from '../store/fixtures.ts';
import { DIALECTS } from '../support/databases.ts';
import { createSchedulerHarness, dagFile, type SchedulerHarness } from './support/harness.ts';

const NOW = Date.UTC(2025, 2, 10, 12, 0);
const LIVENESS_ENV = {
  UPDRAFT__SCHEDULER__TASK_HEARTBEAT_TIMEOUT: '60',
  UPDRAFT__SCHEDULER__TASK_QUEUED_TIMEOUT: '120',
  UPDRAFT__SCHEDULER__JOB_TIMEOUT_SECONDS: '30',
  UPDRAFT__SCHEDULER__LIVENESS_CHECK_INTERVAL_SECONDS: '0',
};

describe.each(DIALECTS)('scheduler liveness on %s', (dialect) => {
  let harness: SchedulerHarness | undefined;
  let clock = NOW;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
    clock = NOW;
  });

  /** A manual-only DAG with one task `t` (retries as given), a queued run of it, and a scheduler without executor. */
  async function setUp(retries: number): Promise<{ h: SchedulerHarness; run: DagRun; key: { dagId: string; runId: string; taskId: string; mapIndex: number } }> {
    const h = await createSchedulerHarness({ dialect, executor: false, now: () => clock, env: LIVENESS_ENV });
    harness = h;
    await seedDag(h.store, serializedDag('live', { timetable: { kind: 'none', summary: 'None' }, tasks: [serializedTask('t', { retries, retryDelaySeconds: 10 })] }), NOW);
    const run = await triggerDagRun(h.store, { dagId: 'live', runId: 'manual__live', triggeredBy: 'test', now: clock });
    return { h, run, key: { dagId: 'live', runId: run.runId, taskId: 't', mapIndex: -1 } };
  }

  it('ends a running try that stopped heartbeating as up_for_retry, with TASK_PROCESS_DIED on the try', async () => {
    const { h, key } = await setUp(1);
    await h.scheduler.iterate(); // run started, t scheduled
    const api = createStoreTaskExecutionApi(h.store, { xcomMaxBytes: 1000, now: () => clock });
    // A supervisor starts the try, then dies without a word.
    // Tries start only from queued, as an executor would find them.
    await setTaskInstanceState(h.store.db, key, { from: ['scheduled'], to: 'queued' });
    await api.startTry({ ...key, tryNumber: 1 }, { hostname: 'gone', pid: 999_999 });
    clock += 59_000;
    await h.scheduler.iterate();
    expect((await getTaskInstance(h.store.db, key))?.state).toBe('running');

    clock += 2_000;
    await h.scheduler.iterate();
    const ti = await getTaskInstance(h.store.db, key);
    expect(ti?.state).toBe('up_for_retry');
    expect(ti?.nextAttemptAt).toBe(clock + 10_000);
    const [firstTry] = await listTries(h.store.db, key);
    expect(firstTry?.state).toBe('up_for_retry');
    expect(firstTry?.error).toMatchObject({ code: 'TASK_PROCESS_DIED', message: expect.stringContaining('no heartbeat for 61 s') });
    expect(h.events).toContainEqual({ type: 'task_heartbeat_timeout', key: { ...key, tryNumber: 1 }, state: 'up_for_retry', silentSeconds: 61 });
    // A late heartbeat from the dead try is refused.
    await expect(api.heartbeat({ ...key, tryNumber: 1 })).rejects.toMatchObject({ code: 'INVALID_STATE_TRANSITION' });
  });

  it('fails a silent try that has no retries left, and the run with it', async () => {
    const { h, run, key } = await setUp(0);
    await h.scheduler.iterate();
    const api = createStoreTaskExecutionApi(h.store, { xcomMaxBytes: 1000, now: () => clock });
    // Tries start only from queued, as an executor would find them.
    await setTaskInstanceState(h.store.db, key, { from: ['scheduled'], to: 'queued' });
    await api.startTry({ ...key, tryNumber: 1 }, { hostname: 'gone', pid: 999_999 });
    clock += 61_000;
    await h.scheduler.iterate();
    expect((await getTaskInstance(h.store.db, key))?.state).toBe('failed');
    await h.scheduler.iterate();
    expect((await getDagRun(h.store.db, run))?.state).toBe('failed');
  });

  it('sends a task instance queued for too long back to scheduled', async () => {
    const { h, key } = await setUp(0);
    await h.scheduler.iterate();
    await setTaskInstanceState(h.store.db, key, { from: ['scheduled'], to: 'queued', queuedAt: clock });
    clock += 119_000;
    await h.scheduler.iterate();
    expect((await getTaskInstance(h.store.db, key))?.state).toBe('queued');
    clock += 2_000;
    await h.scheduler.iterate();
    expect((await getTaskInstance(h.store.db, key))?.state).toBe('scheduled');
    expect(h.events).toContainEqual({ type: 'queued_ti_reset', key, reason: 'queued_timeout' });
  });

  it('resets what a dead scheduler left queued and marks that scheduler failed', async () => {
    const { h, key } = await setUp(0);
    await h.scheduler.iterate();
    const dead = await startJob(h.store.db, { jobType: 'SchedulerJob', hostname: 'old', pid: 1, now: clock - 40_000 });
    const queued = await setTaskInstanceStates(h.store.db, [{ ...key, tryNumber: 0 }], { from: 'scheduled', to: 'queued', now: clock - 1_000, queuedByJobId: dead.id, executor: 'LocalExecutor' });
    expect(queued).toEqual([key]);
    await h.scheduler.iterate();
    expect((await getTaskInstance(h.store.db, key))?.state).toBe('scheduled');
    expect(h.events).toContainEqual({ type: 'queued_ti_reset', key, reason: 'dead_scheduler' });
    expect(h.events).toContainEqual({ type: 'dead_jobs_failed', jobIds: [dead.id] });
    expect((await listAliveJobs(h.store.db, { since: 0, jobType: 'SchedulerJob' })).map((job) => job.id)).toEqual([h.scheduler.jobId]);
  });

  it('leaves alone what a live scheduler queued', async () => {
    const { h, key } = await setUp(0);
    await h.scheduler.iterate();
    const alive = await startJob(h.store.db, { jobType: 'SchedulerJob', hostname: 'peer', pid: 2, now: clock - 1_000 });
    await setTaskInstanceStates(h.store.db, [{ ...key, tryNumber: 0 }], { from: 'scheduled', to: 'queued', now: clock - 1_000, queuedByJobId: alive.id, executor: 'LocalExecutor' });
    await h.scheduler.iterate();
    expect((await getTaskInstance(h.store.db, key))?.state).toBe('queued');
  });
});

describe('a task process killed with SIGKILL', () => {
  let harness: SchedulerHarness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('is detected and its task retried', async () => {
    harness = await createSchedulerHarness({ dialect: 'sqlite', files: [dagFile('zombie.ts')] });
    const h = harness;
    const run = await h.trigger('sched_zombie');
    await h.runUntil(async () => h.supervisorEvents.some((event) => event.type === 'try_started' && event.key.taskId === 'victim'));
    const started = h.supervisorEvents.find((event) => event.type === 'try_started' && event.key.taskId === 'victim');
    if (started?.type !== 'try_started') throw new Error('no try_started event');
    process.kill(started.pid, 'SIGKILL');
    await h.runUntil(h.runFinished(run));
    expect((await getDagRun(h.store.db, run))?.state).toBe('success');
    const tries = await listTries(h.store.db, { ...run, taskId: 'victim', mapIndex: -1 });
    expect(tries.map((t) => t.state)).toEqual(['up_for_retry', 'success']);
    expect(tries[0]?.error).toMatchObject({ code: 'TASK_PROCESS_DIED' });
  });
});
