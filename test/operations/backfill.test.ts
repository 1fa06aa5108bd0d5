import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DagRunState, TaskInstanceState } from '../../src/contracts/states.ts';
import type { SerializedDag } from '../../src/contracts/serialized-dag.ts';
import { createBackfill, type BackfillOptions } from '../../src/operations/backfill.ts';
import { listDagRuns, listTaskInstances, setDagRunState, setTaskInstanceState, type DagRun } from '../../src/store/index.ts';
import { rejectsWithCode, seedDag, seedRun, serializedDag, serializedTask } from '../store/fixtures.ts';
import { createTestStore, DIALECTS } from '../support/databases.ts';

type TestStore = Awaited<ReturnType<typeof createTestStore>>;

/** Midnight UTC of a day in January 2025: the ticks of the daily cron schedule. */
const jan = (day: number): number => Date.UTC(2025, 0, day);
const iso = (ms: number): string => new Date(ms).toISOString();
const backfillId = (day: number): string => `backfill__${iso(jan(day))}`;
const scheduledId = (day: number): string => `scheduled__${iso(jan(day))}`;
/** When the backfill is created: long after the dates it covers, so run_after/queued_at are told apart from logical dates. */
const NOW = Date.UTC(2025, 5, 1, 12);
/** When the seeded runs finished, before the backfill. */
const EARLIER = Date.UTC(2025, 4, 1);

/** `0 0 * * *` in UTC (the fixture's timetable, as the SDK serializes `@daily`), starting 2025-01-01, no end, no catchup. */
function dailyDag(dagId = 'daily', overrides: Partial<SerializedDag> = {}): SerializedDag {
  return serializedDag(dagId, {
    startDate: iso(jan(1)),
    endDate: null,
    catchup: false,
    tasks: [serializedTask('extract', { retries: 2 }), serializedTask('transform'), serializedTask('load')],
    ...overrides,
  });
}

describe.each(DIALECTS)('createBackfill on %s', (dialect) => {
  let store: TestStore;
  const dag = dailyDag();

  beforeEach(async () => {
    store = await createTestStore(dialect);
    await seedDag(store, dag);
  });
  afterEach(async () => {
    await store.drop();
  });

  const backfill = (options: Partial<BackfillOptions> & Pick<BackfillOptions, 'from' | 'to'>) =>
    createBackfill(store, { dagId: 'daily', reprocess: 'none', now: NOW, ...options });

  /** Every run of a DAG, by logical date. */
  async function runsOf(dagId = 'daily'): Promise<DagRun[]> {
    const { runs } = await listDagRuns(store.db, { dagId, limit: 1000, offset: 0 });
    return runs.sort((a, b) => a.logicalDate! - b.logicalDate!);
  }

  /** What a test compares of a run (ids and dates are exact; the surrogate id is not). */
  const summary = (run: DagRun) => ({
    runId: run.runId,
    runType: run.runType,
    state: run.state,
    logicalDate: run.logicalDate,
    dataIntervalStart: run.dataIntervalStart,
    dataIntervalEnd: run.dataIntervalEnd,
    runAfter: run.runAfter,
    queuedAt: run.queuedAt,
    endDate: run.endDate,
    conf: run.conf,
    triggeredBy: run.triggeredBy,
    clearNumber: run.clearNumber,
  });

  /** A newly created backfill run: queued now, logical date = the tick, empty data interval (a cron trigger timetable). */
  const createdRun = (day: number, conf: Record<string, unknown> = {}) => ({
    runId: backfillId(day),
    runType: 'backfill',
    state: 'queued',
    logicalDate: jan(day),
    dataIntervalStart: jan(day),
    dataIntervalEnd: jan(day),
    runAfter: NOW,
    queuedAt: NOW,
    endDate: null,
    conf,
    triggeredBy: 'backfill',
    clearNumber: 0,
  });

  async function tiStates(runId: string): Promise<Record<string, [TaskInstanceState, number, number]>> {
    const instances = await listTaskInstances(store.db, { dagId: 'daily', runId });
    return Object.fromEntries(instances.map((ti) => [ti.taskId, [ti.state, ti.tryNumber, ti.maxTries]]));
  }

  /**
   * A scheduled run that already exists at `day`, its task instances at the given states (each
   * after one try) and the run itself in `state`, as the scheduler would have left it.
   */
  async function existingRun(day: number, state: DagRunState, tis: Partial<Record<'extract' | 'transform' | 'load', TaskInstanceState>>): Promise<DagRun> {
    const run = await seedRun(store, dag, { logicalDate: jan(day) });
    for (const [taskId, to] of Object.entries(tis)) {
      expect(await setTaskInstanceState(store.db, { dagId: 'daily', runId: run.runId, taskId, mapIndex: -1 }, { to, tryNumber: 1, now: EARLIER })).toBe(true);
    }
    expect(await setDagRunState(store.db, run, state, EARLIER)).toBe(true);
    return run;
  }

  it('creates one queued backfill run per scheduled date in [from, to], both ends inclusive', async () => {
    // `from` between two ticks starts at the next tick; `to` on a tick includes it.
    const plan = await backfill({ from: Date.UTC(2025, 0, 2, 6), to: jan(5) });

    expect(plan).toEqual({ created: [backfillId(3), backfillId(4), backfillId(5)], reprocessed: [], skipped: [] });
    expect((await runsOf()).map(summary)).toEqual([createdRun(3), createdRun(4), createdRun(5)]);
    // Each run has its task instances, ready for the scheduler (retries as max_tries, as on creation).
    for (const day of [3, 4, 5]) {
      expect(await tiStates(backfillId(day))).toEqual({ extract: ['none', 0, 2], transform: ['none', 0, 0], load: ['none', 0, 0] });
    }
  });

  it('creates the single run of a range of one tick, and nothing for a range between two ticks', async () => {
    expect(await backfill({ from: jan(7), to: jan(7) })).toEqual({ created: [backfillId(7)], reprocessed: [], skipped: [] });
    expect(await backfill({ from: Date.UTC(2025, 0, 8, 1), to: Date.UTC(2025, 0, 8, 23) })).toEqual({ created: [], reprocessed: [], skipped: [] });
    expect((await runsOf()).map((run) => run.runId)).toEqual([backfillId(7)]);
  });

  it.each([false, true])('keeps to the DAG start and end dates (catchup=%s makes no difference)', async (catchup) => {
    // A start date between ticks aligns forward to the next tick (the 11th); the end date is inclusive.
    await seedDag(store, dailyDag('bounded', { startDate: '2025-01-10T06:00:00.000Z', endDate: iso(jan(13)), catchup }));

    const plan = await createBackfill(store, { dagId: 'bounded', from: jan(1), to: jan(31), reprocess: 'none', now: NOW });

    const ids = [11, 12, 13].map(backfillId);
    expect(plan).toEqual({ created: ids, reprocessed: [], skipped: [] });
    expect((await runsOf('bounded')).map((run) => [run.runId, run.logicalDate, run.runType])).toEqual([11, 12, 13].map((day) => [backfillId(day), jan(day), 'backfill']));
  });

  it('creates nothing for a range entirely before the start date', async () => {
    expect(await backfill({ from: Date.UTC(2024, 11, 1), to: Date.UTC(2024, 11, 31) })).toEqual({ created: [], reprocessed: [], skipped: [] });
    expect(await runsOf()).toEqual([]);
  });

  it("with reprocess 'none' skips every date that already has a run, whatever its state", async () => {
    await existingRun(3, 'success', { extract: 'success', transform: 'success', load: 'success' });
    await existingRun(4, 'failed', { extract: 'success', transform: 'failed', load: 'upstream_failed' });
    const before = (await runsOf()).map(summary);

    const plan = await backfill({ from: jan(2), to: jan(5), reprocess: 'none' });

    expect(plan).toEqual({ created: [backfillId(2), backfillId(5)], reprocessed: [], skipped: [scheduledId(3), scheduledId(4)] });
    const after = (await runsOf()).map(summary);
    expect(after).toEqual([createdRun(2), before[0], before[1], createdRun(5)]);
    expect(await tiStates(scheduledId(4))).toEqual({ extract: ['success', 1, 2], transform: ['failed', 1, 0], load: ['upstream_failed', 1, 0] });
  });

  it("with reprocess 'failed' clears only the failed task instances of failed runs and requeues those runs", async () => {
    const succeeded = await existingRun(3, 'success', { extract: 'success', transform: 'success', load: 'success' });
    await existingRun(4, 'failed', { extract: 'success', transform: 'failed', load: 'upstream_failed' });
    // A failed first task: its retries are granted again on clear (max_tries = try_number + retries).
    await existingRun(5, 'failed', { extract: 'failed', transform: 'upstream_failed', load: 'upstream_failed' });

    const plan = await backfill({ from: jan(2), to: jan(6), reprocess: 'failed' });

    expect(plan).toEqual({ created: [backfillId(2), backfillId(6)], reprocessed: [scheduledId(4), scheduledId(5)], skipped: [scheduledId(3)] });
    const runs = new Map((await runsOf()).map((run) => [run.runId, summary(run)]));
    // The cleared runs go back to the scheduler: queued now, no end date, one more clear.
    for (const day of [4, 5]) {
      expect(runs.get(scheduledId(day))).toMatchObject({ runType: 'scheduled', state: 'queued', queuedAt: NOW, endDate: null, clearNumber: 1 });
    }
    expect(runs.get(scheduledId(3))).toMatchObject({ state: 'success', endDate: EARLIER, clearNumber: 0 });
    expect(runs.get(backfillId(2))).toEqual(createdRun(2));
    expect(runs.get(backfillId(6))).toEqual(createdRun(6));
    expect([...runs.keys()]).toEqual([backfillId(2), scheduledId(3), scheduledId(4), scheduledId(5), backfillId(6)]);

    // Cleared task instances are back at `none`; what succeeded is kept.
    expect(await tiStates(scheduledId(4))).toEqual({ extract: ['success', 1, 2], transform: ['none', 1, 1], load: ['none', 1, 1] });
    expect(await tiStates(scheduledId(5))).toEqual({ extract: ['none', 1, 3], transform: ['none', 1, 1], load: ['none', 1, 1] });
    expect(await tiStates(succeeded.runId)).toEqual({ extract: ['success', 1, 2], transform: ['success', 1, 0], load: ['success', 1, 0] });
  });

  it("with reprocess 'failed' reports a failed run without a failed task (a run timeout) as skipped, and leaves it", async () => {
    await existingRun(3, 'failed', { extract: 'success', transform: 'skipped', load: 'skipped' });

    const plan = await backfill({ from: jan(3), to: jan(3), reprocess: 'failed' });

    expect(plan).toEqual({ created: [], reprocessed: [], skipped: [scheduledId(3)] });
    expect((await runsOf()).map(summary)).toMatchObject([{ runId: scheduledId(3), state: 'failed', endDate: EARLIER, clearNumber: 0 }]);
    expect(await tiStates(scheduledId(3))).toEqual({ extract: ['success', 1, 2], transform: ['skipped', 1, 0], load: ['skipped', 1, 0] });
  });

  it("with reprocess 'all' clears every finished run, successful or failed, and leaves running and queued runs alone", async () => {
    await existingRun(2, 'success', { extract: 'success', transform: 'success', load: 'success' });
    await existingRun(3, 'failed', { extract: 'success', transform: 'failed', load: 'upstream_failed' });
    await existingRun(4, 'running', { extract: 'running' });
    await existingRun(5, 'queued', {});
    const untouched = (await runsOf()).slice(2).map(summary);

    // From the DAG's start date (the 1st), which has no run yet.
    const plan = await backfill({ from: jan(1), to: jan(5), reprocess: 'all' });

    expect(plan).toEqual({ created: [backfillId(1)], reprocessed: [scheduledId(2), scheduledId(3)], skipped: [scheduledId(4), scheduledId(5)] });
    const runs = (await runsOf()).map(summary);
    expect(runs[0]).toEqual(createdRun(1));
    expect(runs.slice(1, 3)).toMatchObject([2, 3].map((day) => ({ runId: scheduledId(day), runType: 'scheduled', state: 'queued', queuedAt: NOW, endDate: null, clearNumber: 1 })));
    expect(runs.slice(3)).toEqual(untouched);

    // Every task instance of the cleared runs runs again, the successful ones too.
    expect(await tiStates(scheduledId(2))).toEqual({ extract: ['none', 1, 3], transform: ['none', 1, 1], load: ['none', 1, 1] });
    expect(await tiStates(scheduledId(3))).toEqual({ extract: ['none', 1, 3], transform: ['none', 1, 1], load: ['none', 1, 1] });
    // The running task of the running run is not interrupted.
    expect(await tiStates(scheduledId(4))).toEqual({ extract: ['running', 1, 2], transform: ['none', 0, 0], load: ['none', 0, 0] });
  });

  it.each(['failed', 'all'] as const)("with dryRun and reprocess '%s' returns the plan but creates and clears nothing", async (reprocess) => {
    await existingRun(2, 'success', { extract: 'success', transform: 'success', load: 'success' });
    await existingRun(3, 'failed', { extract: 'success', transform: 'failed', load: 'upstream_failed' });
    const runsBefore = (await runsOf()).map(summary);
    const tisBefore = [await tiStates(scheduledId(2)), await tiStates(scheduledId(3))];

    const dry = await backfill({ from: jan(1), to: jan(4), reprocess, dryRun: true });

    expect((await runsOf()).map(summary)).toEqual(runsBefore);
    expect([await tiStates(scheduledId(2)), await tiStates(scheduledId(3))]).toEqual(tisBefore);
    // The same call for real does exactly what the dry run announced.
    const real = await backfill({ from: jan(1), to: jan(4), reprocess });
    expect(real).toEqual(dry);
    expect(dry).toEqual({
      created: [backfillId(1), backfillId(4)],
      reprocessed: reprocess === 'all' ? [scheduledId(2), scheduledId(3)] : [scheduledId(3)],
      skipped: reprocess === 'all' ? [] : [scheduledId(2)],
    });
    expect((await runsOf()).map((run) => [run.runId, run.state])).toEqual([
      [backfillId(1), 'queued'],
      [scheduledId(2), reprocess === 'all' ? 'queued' : 'success'],
      [scheduledId(3), 'queued'],
      [backfillId(4), 'queued'],
    ]);
  });

  it('stores the conf on every created run', async () => {
    const conf = { source: 'archive', limit: 3, options: { full: true } };

    await backfill({ from: jan(2), to: jan(3), conf });

    expect((await runsOf()).map(summary)).toEqual([createdRun(2, conf), createdRun(3, conf)]);
  });

  it('rejects a conf that does not satisfy the params before creating any run', async () => {
    await seedDag(store, dailyDag('with_params', { params: { limit: { default: 10, schema: { type: 'integer' } } } }));

    const error = await rejectsWithCode(
      createBackfill(store, { dagId: 'with_params', from: jan(2), to: jan(3), reprocess: 'none', conf: { limit: 'many' }, now: NOW }),
      'DAG_INVALID_PARAMS',
    );

    expect(error.message).toMatch(/^Params do not satisfy their schema: limit/);
    expect(await runsOf('with_params')).toEqual([]);
  });

  describe('rejects bad input without creating anything', () => {
    it('an unknown reprocess behaviour: INVALID_ARGUMENT', async () => {
      const error = await rejectsWithCode(backfill({ from: jan(2), to: jan(3), reprocess: 'sometimes' as BackfillOptions['reprocess'] }), 'INVALID_ARGUMENT');
      expect([error.message, error.hint]).toEqual(['Unknown reprocess behaviour "sometimes"', 'Use one of none, failed, all']);
      expect(await runsOf()).toEqual([]);
    });

    it('a range that ends before it starts: INVALID_ARGUMENT', async () => {
      const error = await rejectsWithCode(backfill({ from: jan(3), to: jan(2) }), 'INVALID_ARGUMENT');
      expect(error.message).toBe('The backfill ends before it starts');
      expect(await runsOf()).toEqual([]);
    });

    it('a DAG without a schedule: INVALID_ARGUMENT', async () => {
      await seedDag(store, dailyDag('manual_only', { timetable: { kind: 'none', summary: 'None' } }));
      const error = await rejectsWithCode(createBackfill(store, { dagId: 'manual_only', from: jan(2), to: jan(3), reprocess: 'none', now: NOW }), 'INVALID_ARGUMENT');
      expect(error.message).toBe('DAG "manual_only" has no schedule, so it has no dates to backfill');
      expect(await runsOf('manual_only')).toEqual([]);
    });

    it('an unknown DAG: DAG_NOT_FOUND', async () => {
      const error = await rejectsWithCode(createBackfill(store, { dagId: 'nope', from: jan(2), to: jan(3), reprocess: 'none', now: NOW }), 'DAG_NOT_FOUND');
      expect(error.message).toBe('No DAG "nope"');
    });
  });
});
