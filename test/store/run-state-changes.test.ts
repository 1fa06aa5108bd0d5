import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { finishRunningRuns, getDagRun, startQueuedRun, startQueuedRuns, type DagRunKey } from '../../src/store/index.ts';
import { createTestStore, DIALECTS } from '../support/databases.ts';
import { seedRun, serializedDag, serializedTask, T0 } from './fixtures.ts';

type TestStore = Awaited<ReturnType<typeof createTestStore>>;

const DAG = serializedDag('batches', { tasks: [serializedTask('only')] });
const key = (runId: string): DagRunKey => ({ dagId: 'batches', runId });

describe.each(DIALECTS)('run state changes in batches on %s', (dialect) => {
  let store: TestStore;
  beforeEach(async () => {
    store = await createTestStore(dialect);
  });
  afterEach(async () => {
    await store.drop();
  });

  /** Queued runs with the given ids, one logical date apart. */
  async function seedQueuedRuns(...runIds: string[]): Promise<void> {
    for (const [index, runId] of runIds.entries()) await seedRun(store, DAG, { runId, logicalDate: T0 + index });
  }
  const stateOf = async (runId: string) => {
    const run = await getDagRun(store.db, key(runId));
    return run && { state: run.state, startDate: run.startDate, endDate: run.endDate };
  };
  const sorted = (keys: DagRunKey[]) => keys.map((run) => run.runId).sort();

  it('starts the queued runs among those named and reports exactly those', async () => {
    await seedQueuedRuns('a', 'b', 'c');
    await startQueuedRun(store.db, key('b'), T0);

    // b already runs and `gone` does not exist: neither is changed nor reported.
    expect(sorted(await startQueuedRuns(store.db, [key('a'), key('b'), key('c'), key('gone')], T0 + 5))).toEqual(['a', 'c']);
    expect(await stateOf('a')).toEqual({ state: 'running', startDate: T0 + 5, endDate: null });
    expect(await stateOf('b')).toEqual({ state: 'running', startDate: T0, endDate: null });
    expect(await stateOf('c')).toEqual({ state: 'running', startDate: T0 + 5, endDate: null });
  });

  it('ends each running run in its own state and leaves the others as they are', async () => {
    await seedQueuedRuns('won', 'lost', 'waiting', 'also_won');
    await startQueuedRuns(store.db, [key('won'), key('lost'), key('also_won')], T0);

    const finished = await finishRunningRuns(
      store.db,
      [
        { ...key('won'), state: 'success' },
        { ...key('lost'), state: 'failed' },
        // Still queued: a compare-and-set on running leaves it.
        { ...key('waiting'), state: 'success' },
        { ...key('also_won'), state: 'success' },
      ],
      T0 + 9,
    );

    expect(sorted(finished)).toEqual(['also_won', 'lost', 'won']);
    expect(await stateOf('won')).toEqual({ state: 'success', startDate: T0, endDate: T0 + 9 });
    expect(await stateOf('lost')).toEqual({ state: 'failed', startDate: T0, endDate: T0 + 9 });
    expect(await stateOf('also_won')).toEqual({ state: 'success', startDate: T0, endDate: T0 + 9 });
    expect(await stateOf('waiting')).toEqual({ state: 'queued', startDate: null, endDate: null });
    // A second decision about the same runs changes nothing: they are no longer running.
    expect(await finishRunningRuns(store.db, [{ ...key('won'), state: 'failed' }, { ...key('lost'), state: 'success' }], T0 + 20)).toEqual([]);
    expect((await stateOf('won'))?.state).toBe('success');
  });

  it('changes more runs than one statement holds', async () => {
    const runIds = Array.from({ length: 130 }, (_, index) => `r${String(index).padStart(3, '0')}`);
    await seedQueuedRuns(...runIds);
    expect(sorted(await startQueuedRuns(store.db, runIds.map(key), T0))).toEqual(runIds);
    const outcomes = runIds.map((runId, index) => ({ ...key(runId), state: index % 3 === 0 ? ('failed' as const) : ('success' as const) }));
    expect(sorted(await finishRunningRuns(store.db, outcomes, T0 + 1))).toEqual(runIds);
    expect([(await stateOf('r001'))?.state, (await stateOf('r128'))?.state, (await stateOf('r129'))?.state]).toEqual(['success', 'success', 'failed']);
  });
});
