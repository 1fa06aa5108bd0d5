import { describe, expect, it } from 'vitest';
import type { SerializedDag } from '../../contracts/serialized-dag.ts';
import { buildDag } from '../../../test/core/dag-builder.ts';
import { hasRunDue, planDagRuns, scheduledRunId } from './plan-dag-runs.ts';
import type { CommandOfType, DagSchedulingState, SchedulerCommand } from './types.ts';

const MINUTE = 60_000;
const NOW = Date.UTC(2025, 2, 10, 12, 30, 20);

function everyMinute(overrides: Partial<SerializedDag> = {}): SerializedDag {
  return { ...buildDag({ a: {} }), timetable: { kind: 'cron', expression: '* * * * *', timezone: 'UTC', summary: '* * * * *' }, ...overrides };
}

function stateOf(dag: SerializedDag, overrides: Partial<DagSchedulingState> = {}): DagSchedulingState {
  return {
    dagId: dag.dagId,
    dag,
    versionHash: 'v1',
    isPaused: false,
    maxActiveRuns: dag.maxActiveRuns,
    lastAutomatedRun: null,
    runningRuns: 0,
    queuedRuns: [],
    takenLogicalDates: new Set(),
    ...overrides,
  };
}

const created = (commands: SchedulerCommand[]) => commands.filter((c): c is CommandOfType<'create_run'> => c.type === 'create_run');
const nextOf = (commands: SchedulerCommand[]) => commands.find((c): c is CommandOfType<'set_next_dagrun'> => c.type === 'set_next_dagrun')?.next;

describe('planDagRuns', () => {
  it('without catchup creates only the run of the current minute, running at once', () => {
    const commands = planDagRuns(stateOf(everyMinute({ startDate: '2025-01-01T00:00:00.000Z' })), NOW);
    const minute = Date.UTC(2025, 2, 10, 12, 30);
    expect(created(commands).map((c) => [c.runId, c.state])).toEqual([[scheduledRunId(minute), 'running']]);
    expect(created(commands)[0]!.runId).toBe('scheduled__2025-03-10T12:30:00.000Z');
    expect(nextOf(commands)?.logicalDate).toBe(minute + MINUTE);
  });

  it('with catchup creates every run since the start date, up to maxActiveRuns', () => {
    const start = NOW - 5 * MINUTE - 20_000; // 12:25:00
    const dag = everyMinute({ startDate: new Date(start).toISOString(), catchup: true });
    const commands = planDagRuns(stateOf(dag, { maxActiveRuns: 100 }), NOW);
    expect(created(commands).map((c) => c.run.logicalDate)).toEqual([0, 1, 2, 3, 4, 5].map((i) => start + i * MINUTE));
    expect(nextOf(commands)?.logicalDate).toBe(start + 6 * MINUTE);
  });

  it('continues after the last automated run', () => {
    const last = Date.UTC(2025, 2, 10, 12, 28);
    const dag = everyMinute({ startDate: '2025-01-01T00:00:00.000Z', catchup: true });
    const commands = planDagRuns(stateOf(dag, { lastAutomatedRun: { logicalDate: last, dataInterval: { start: last, end: last }, runAfter: last } }), NOW);
    expect(created(commands).map((c) => c.run.logicalDate)).toEqual([last + MINUTE, last + 2 * MINUTE]);
  });

  it('creates nothing after the end date', () => {
    const dag = everyMinute({ startDate: '2025-03-10T12:00:00.000Z', endDate: '2025-03-10T12:02:00.000Z', catchup: true });
    const commands = planDagRuns(stateOf(dag), NOW);
    expect(created(commands).map((c) => new Date(c.run.logicalDate).toISOString())).toEqual([
      '2025-03-10T12:00:00.000Z',
      '2025-03-10T12:01:00.000Z',
      '2025-03-10T12:02:00.000Z',
    ]);
    expect(nextOf(commands)).toBeNull();
  });

  it('creates and starts nothing for a paused DAG', () => {
    const queued = [{ runId: 'manual__1', logicalDate: 1, queuedAt: 1 }];
    expect(planDagRuns(stateOf(everyMinute(), { isPaused: true, queuedRuns: queued }), NOW)).toEqual([]);
  });

  it('creates nothing before the first run is due and for manual-only DAGs', () => {
    const future = everyMinute({ startDate: new Date(NOW + 10 * MINUTE).toISOString() });
    expect(created(planDagRuns(stateOf(future), NOW))).toEqual([]);
    expect(nextOf(planDagRuns(stateOf(future), NOW))?.logicalDate).toBe(Date.UTC(2025, 2, 10, 12, 41));
    const manual = buildDag({ a: {} });
    expect(planDagRuns(stateOf(manual), NOW)).toEqual([{ type: 'set_next_dagrun', dagId: manual.dagId, next: null }]);
  });

  it('keeps queued + running runs under maxActiveRuns', () => {
    const dag = everyMinute({ startDate: new Date(NOW - 3 * MINUTE).toISOString(), catchup: true });
    const queued = { runId: 'manual__1', logicalDate: NOW - 60 * MINUTE, queuedAt: NOW };
    const commands = planDagRuns(stateOf(dag, { maxActiveRuns: 3, runningRuns: 1, queuedRuns: [queued] }), NOW);
    // Room for one new run (3 - 1 running - 1 queued); both it and the queued run fit in the two running slots.
    expect(created(commands).map((c) => c.state)).toEqual(['running']);
    expect(commands.filter((c) => c.type === 'start_run')).toEqual([{ type: 'start_run', dagId: dag.dagId, runId: 'manual__1' }]);
    // The DAG is still due: its next run waits for a free slot.
    expect(nextOf(commands)!.runAfter).toBeLessThanOrEqual(NOW);
  });

  it('starts queued runs oldest logical date first, while running runs stay under maxActiveRuns', () => {
    const dag = buildDag({ a: {} });
    const queuedRuns = [
      { runId: 'manual__new', logicalDate: NOW - MINUTE, queuedAt: NOW - 2 * MINUTE },
      { runId: 'manual__old', logicalDate: NOW - 60 * MINUTE, queuedAt: NOW - MINUTE },
      { runId: 'manual__older', logicalDate: NOW - 90 * MINUTE, queuedAt: NOW },
    ];
    const commands = planDagRuns(stateOf(dag, { maxActiveRuns: 3, runningRuns: 1, queuedRuns }), NOW);
    expect(commands.filter((c) => c.type === 'start_run').map((c) => c.type === 'start_run' && c.runId)).toEqual(['manual__old', 'manual__older']);
    expect(planDagRuns(stateOf(dag, { maxActiveRuns: 1, runningRuns: 1, queuedRuns }), NOW).filter((c) => c.type === 'start_run')).toEqual([]);
  });

  it('skips logical dates that already have a run', () => {
    const start = Date.UTC(2025, 2, 10, 12, 28);
    const dag = everyMinute({ startDate: new Date(start).toISOString(), catchup: true });
    const commands = planDagRuns(stateOf(dag, { takenLogicalDates: new Set([start + MINUTE]) }), NOW);
    expect(created(commands).map((c) => c.run.logicalDate)).toEqual([start, start + 2 * MINUTE]);
  });
});

describe('hasRunDue', () => {
  const minute = Date.UTC(2025, 2, 10, 12, 30);
  const planned = (logicalDate: number) => ({ logicalDate, dataInterval: { start: logicalDate, end: logicalDate }, runAfter: logicalDate });

  it('is false for a DAG without a schedule, which creates no runs of its own', () => {
    expect(hasRunDue(buildDag({ a: {} }), null, NOW)).toBe(false);
  });

  it('is true while the timetable has a run whose time has come, and false once it is created', () => {
    const dag = everyMinute({ startDate: '2025-01-01T00:00:00.000Z' });
    expect(hasRunDue(dag, null, NOW)).toBe(true);
    expect(hasRunDue(dag, planned(minute - MINUTE), NOW)).toBe(true);
    expect(hasRunDue(dag, planned(minute), NOW)).toBe(false);
  });

  it('is false before the start date', () => {
    expect(hasRunDue(everyMinute({ startDate: '2025-03-11T00:00:00.000Z' }), null, NOW)).toBe(false);
  });
});
