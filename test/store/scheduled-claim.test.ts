import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { claimScheduledTis, inTransaction, setPool, setTaskInstanceStates, startQueuedRun } from '../../src/store/index.ts';
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

  it('counts, for each task instance it claims, the open slots of its pool and the active task instances of its run', async () => {
    await setPool(store.db, { name: 'etl', slots: 5, includeDeferred: true });
    const dag = serializedDag('limits', {
      tasks: [
        serializedTask('running', { pool: 'etl', poolSlots: 2 }),
        serializedTask('queued', { pool: 'etl' }),
        serializedTask('deferred', { pool: 'etl' }),
        serializedTask('waiting', { pool: 'etl' }),
        serializedTask('nowhere', { pool: 'no_such_pool' }),
      ],
    });
    const busy = await seedRun(store, dag, { runId: 'busy', logicalDate: T0 });
    const idle = await seedRun(store, dag, { runId: 'idle', logicalDate: T0 + DAY });
    const states: Record<string, string> = { running: 'running', queued: 'queued', deferred: 'deferred', waiting: 'scheduled', nowhere: 'scheduled' };
    for (const run of [busy, idle]) {
      await startQueuedRun(store.db, run, T0);
      for (const [taskId, state] of Object.entries(states)) {
        // The idle run has only its two scheduled task instances.
        const to = run === idle && state !== 'scheduled' ? 'success' : state;
        await store.db.updateTable('task_instance').set({ state: to }).where('run_id', '=', run.runId).where('task_id', '=', taskId).execute();
      }
    }

    const claimed = await inTransaction(store.db, (trx) => claimScheduledTis(trx, { limit: 10 }));

    // etl: 5 slots, 2 running + 1 queued + 1 deferred (the pool counts deferred) occupied.
    expect(claimed.map((ti) => [ti.runId, ti.taskId, ti.poolOpenSlots, ti.runActiveTasks]).sort()).toEqual([
      ['busy', 'nowhere', 0, 2],
      ['busy', 'waiting', 1, 2],
      ['idle', 'nowhere', 0, 0],
      ['idle', 'waiting', 1, 0],
    ]);
  });
});
