import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { claimRunsToSchedule, getDagRun, inTransaction, startQueuedRun } from '../../src/store/index.ts';
import { createTestStore, DIALECTS } from '../support/databases.ts';
import { seedRun, serializedDag, serializedTask, T0 } from './fixtures.ts';

type TestStore = Awaited<ReturnType<typeof createTestStore>>;

describe.each(DIALECTS)('the claim of runs to schedule on %s', (dialect) => {
  let store: TestStore;
  beforeEach(async () => {
    store = await createTestStore(dialect);
  });
  afterEach(async () => {
    await store.drop();
  });

  /** Running runs `a`, `b`, `c` (created in that order), last decided at the given instants (null: never). */
  async function seedDecidedRuns(decidedAt: Record<'a' | 'b' | 'c', number | null>): Promise<void> {
    const dag = serializedDag('turns', { tasks: [serializedTask('only')] });
    for (const [index, runId] of (['a', 'b', 'c'] as const).entries()) {
      const run = await seedRun(store, dag, { runId, logicalDate: T0 + index });
      await startQueuedRun(store.db, run, T0);
      await store.db.updateTable('dag_run').set({ last_scheduling_decision: decidedAt[runId] }).where('run_id', '=', runId).execute();
    }
  }

  const claim = (limit: number, now: number) =>
    inTransaction(store.db, async (trx) => (await claimRunsToSchedule(trx, { limit, now })).map((run) => run.runId));
  const decidedAt = async (runId: string) => (await getDagRun(store.db, { dagId: 'turns', runId }))?.lastSchedulingDecision;

  it('serves the runs decided longest ago first and stamps the ones it claims, so that every run gets its turn', async () => {
    await seedDecidedRuns({ a: T0 + 2, b: null, c: T0 + 1 });

    expect(await claim(2, T0 + 10)).toEqual(['b', 'c']);
    expect([await decidedAt('a'), await decidedAt('b'), await decidedAt('c')]).toEqual([T0 + 2, T0 + 10, T0 + 10]);

    // b and c were just served: a comes first now, then the earliest created of the two.
    expect(await claim(2, T0 + 20)).toEqual(['a', 'b']);
    expect(await claim(3, T0 + 30)).toEqual(['c', 'a', 'b']);
  });

  it('leaves the stamps as they were when the claim rolls back with its transaction', async () => {
    await seedDecidedRuns({ a: T0, b: T0 + 1, c: T0 + 2 });
    const rolledBack = inTransaction(store.db, async (trx) => {
      await claimRunsToSchedule(trx, { limit: 3, now: T0 + 10 });
      throw new Error('the decision failed');
    });
    await expect(rolledBack).rejects.toThrow('the decision failed');
    expect(await claim(1, T0 + 20)).toEqual(['a']);
  });
});
