import { afterEach, describe, expect, it } from 'vitest';
import type { SerializedDag } from '../../src/contracts/serialized-dag.ts';
import { getDag, listDagRuns, listTaskInstances, setPaused } from '../../src/store/index.ts';
import { triggerDagRun } from '../../src/operations/index.ts';
import { seedDag, serializedDag } from '../store/fixtures.ts';
import { DIALECTS } from '../support/databases.ts';
import { createSchedulerHarness, type SchedulerHarness } from './support/harness.ts';

const MINUTE = 60_000;
const NOW = Date.UTC(2025, 2, 10, 12, 30, 20);
const everyMinute = { kind: 'cron', expression: '* * * * *', timezone: 'UTC', summary: '* * * * *' } as const;

/** Run creation from timetables, decisions only (no executor), with an injected clock. */
describe.each(DIALECTS)('scheduler run creation on %s', (dialect) => {
  let harness: SchedulerHarness | undefined;
  let clock = NOW;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
    clock = NOW;
  });

  async function setUp(dag: SerializedDag): Promise<SchedulerHarness> {
    harness = await createSchedulerHarness({ dialect, executor: false, now: () => clock });
    await seedDag(harness.store, dag, NOW);
    return harness;
  }

  async function runsOf(dagId: string) {
    const { runs } = await listDagRuns(harness!.store.db, { dagId, limit: 1000, offset: 0, order: 'run_after_asc' });
    return runs;
  }

  it('without catchup creates the run of the current minute, then one per minute', async () => {
    const h = await setUp(serializedDag('every_minute', { timetable: everyMinute, startDate: '2025-01-01T00:00:00.000Z', catchup: false }));
    await h.scheduler.iterate();
    await h.scheduler.iterate();
    const runs = await runsOf('every_minute');
    expect(runs.map((run) => [run.runId, run.runType, run.state])).toEqual([['scheduled__2025-03-10T12:30:00.000Z', 'scheduled', 'running']]);
    // Its task instances exist, and its first task is scheduled.
    expect((await listTaskInstances(h.store.db, runs[0]!)).map((ti) => [ti.taskId, ti.state])).toEqual([
      ['extract', 'scheduled'],
      ['load', 'scheduled'],
    ]);
    expect((await getDag(h.store.db, 'every_minute'))?.nextDagrunCreateAfter).toBe(Date.UTC(2025, 2, 10, 12, 31));

    clock = Date.UTC(2025, 2, 10, 12, 31, 1);
    await h.scheduler.iterate();
    expect((await runsOf('every_minute')).map((run) => run.logicalDate)).toEqual([Date.UTC(2025, 2, 10, 12, 30), Date.UTC(2025, 2, 10, 12, 31)]);
  });

  it('with catchup creates exactly the runs since the start date', async () => {
    const start = Date.UTC(2025, 2, 10, 12, 25);
    const h = await setUp(serializedDag('catchup', { timetable: everyMinute, startDate: new Date(start).toISOString(), catchup: true }));
    await h.scheduler.iterate();
    await h.scheduler.iterate();
    const runs = await runsOf('catchup');
    expect(runs.map((run) => run.logicalDate)).toEqual([0, 1, 2, 3, 4, 5].map((i) => start + i * MINUTE));
    expect(runs.map((run) => run.runId)[0]).toBe('scheduled__2025-03-10T12:25:00.000Z');
  });

  it('leaves out a scheduled run whose logical date a manual run has taken, as Airflow does', async () => {
    const start = Date.UTC(2025, 2, 10, 12, 27);
    const h = await setUp(serializedDag('taken', { timetable: everyMinute, startDate: new Date(start).toISOString(), catchup: true }));
    await triggerDagRun(h.store, { dagId: 'taken', runId: 'by_hand', logicalDate: start + MINUTE, triggeredBy: 'test', now: NOW });
    await h.scheduler.iterate();
    const runs = await runsOf('taken');
    expect(runs.map((run) => [run.runId, run.logicalDate])).toEqual([
      ['scheduled__2025-03-10T12:27:00.000Z', start],
      ['scheduled__2025-03-10T12:29:00.000Z', start + 2 * MINUTE],
      ['scheduled__2025-03-10T12:30:00.000Z', start + 3 * MINUTE],
      ['by_hand', start + MINUTE],
    ]);
  });

  it('respects the end date', async () => {
    const h = await setUp(
      serializedDag('ends', { timetable: everyMinute, startDate: '2025-03-10T12:00:00.000Z', endDate: '2025-03-10T12:02:00.000Z', catchup: true }),
    );
    await h.scheduler.iterate();
    clock += 10 * MINUTE;
    await h.scheduler.iterate();
    expect((await runsOf('ends')).map((run) => new Date(run.logicalDate!).toISOString())).toEqual([
      '2025-03-10T12:00:00.000Z',
      '2025-03-10T12:01:00.000Z',
      '2025-03-10T12:02:00.000Z',
    ]);
    expect((await getDag(h.store.db, 'ends'))?.nextDagrunCreateAfter).toBeNull();
  });

  it('creates nothing for a paused DAG, and resumes at the present when unpaused without catchup', async () => {
    const h = await setUp(serializedDag('paused', { timetable: everyMinute, startDate: '2025-01-01T00:00:00.000Z', catchup: false }));
    await setPaused(h.store.db, 'paused', true);
    await h.scheduler.iterate();
    expect(await runsOf('paused')).toEqual([]);
    clock += 5 * MINUTE;
    await setPaused(h.store.db, 'paused', false);
    await h.scheduler.iterate();
    expect((await runsOf('paused')).map((run) => run.logicalDate)).toEqual([Date.UTC(2025, 2, 10, 12, 35)]);
  });

  it('keeps queued + running runs under maxActiveRuns while catching up', async () => {
    const start = Date.UTC(2025, 2, 10, 12, 0);
    const h = await setUp(serializedDag('limited', { timetable: everyMinute, startDate: new Date(start).toISOString(), catchup: true, maxActiveRuns: 2 }));
    for (let i = 0; i < 3; i++) await h.scheduler.iterate();
    const runs = await runsOf('limited');
    expect(runs.map((run) => [run.logicalDate, run.state])).toEqual([
      [start, 'running'],
      [start + MINUTE, 'running'],
    ]);
  });

  it('recomputes the next run when a new DAG version changes the schedule', async () => {
    const h = await setUp(serializedDag('changes', { timetable: { kind: 'none', summary: 'None' } }));
    await h.scheduler.iterate();
    expect((await getDag(h.store.db, 'changes'))?.nextDagrunCreateAfter).toBeNull();
    await seedDag(h.store, serializedDag('changes', { timetable: everyMinute, startDate: '2025-01-01T00:00:00.000Z' }), NOW);
    await h.scheduler.iterate();
    expect((await runsOf('changes')).map((run) => run.runId)).toEqual(['scheduled__2025-03-10T12:30:00.000Z']);
  });
});
