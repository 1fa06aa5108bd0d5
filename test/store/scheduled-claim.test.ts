import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { claimScheduledTis, inTransaction, setTaskInstanceStates, startQueuedRun } from '../../src/store/index.ts';
import { createTestStore, DIALECTS } from '../support/databases.ts';
import { seedRun, serializedDag, serializedTask, T0 } from './fixtures.ts';

type TestStore = Awaited<ReturnType<typeof createTestStore>>;

const DAY = 86_400_000;

/** Seeds running runs of `tasks` tasks each, at the given logical dates, with every task instance scheduled. */
async function seedScheduledRuns(store: TestStore, tasks: { taskId: string; priorityWeight: number }[], logicalDates: number[]): Promise<void> {
  const dag = serializedDag('claims', { tasks: tasks.map(({ taskId, priorityWeight }) => serializedTask(taskId, { priorityWeight })) });
  for (const logicalDate of logicalDates) {
    const run = await seedRun(store, dag, { runId: `run_${logicalDate}`, logicalDate });
    await startQueuedRun(store.db, run, logicalDate);
    const keys = tasks.map(({ taskId }) => ({ dagId: 'claims', runId: run.runId, taskId, mapIndex: -1, tryNumber: 0 }));
    await setTaskInstanceStates(store.db, keys, { from: 'none', to: 'scheduled', now: logicalDate });
  }
}

describe.each(DIALECTS)('the claim of scheduled task instances on %s', (dialect) => {
  let store: TestStore;
  beforeEach(async () => {
    store = await createTestStore(dialect);
  });
  afterEach(async () => {
    await store.drop();
  });

  it('takes the highest priority weight first, then the oldest run, then the task id', async () => {
    await seedScheduledRuns(
      store,
      [
        { taskId: 'b', priorityWeight: 1 },
        { taskId: 'a', priorityWeight: 1 },
        { taskId: 'urgent', priorityWeight: 5 },
      ],
      [T0 + DAY, T0],
    );
    const claimed = await inTransaction(store.db, (trx) => claimScheduledTis(trx, { limit: 5 }));
    expect(claimed.map((ti) => `${ti.taskId}@${ti.logicalDate === T0 ? 'old' : 'new'}`)).toEqual(['urgent@old', 'urgent@new', 'a@old', 'b@old', 'a@new']);
  });
});
