import { afterEach, describe, expect, it } from 'vitest';
import { setPool, setTaskInstanceState } from '../../src/store/index.ts';
import { createSchedulerHarness, dagFile, type SchedulerHarness } from './support/harness.ts';

/**
 * A phase that fails is reported and does not stop the others. On SQLite scheduling and queueing
 * share one transaction; when it fails they run apart, so queueing still happens there too.
 */
describe.each(['sqlite', 'postgres'] as const)('scheduler phase failures on %s', (dialect) => {
  let harness: SchedulerHarness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('queues scheduled task instances while deciding a run fails', async () => {
    harness = await createSchedulerHarness({ dialect, files: [dagFile('pool.ts'), dagFile('retries.ts')] });
    const { store } = harness;
    await setPool(store.db, { name: 'single', slots: 1 });
    const ready = await harness.trigger('sched_pool');
    const broken = await harness.trigger('sched_retries');
    const one = { dagId: ready.dagId, runId: ready.runId, taskId: 'one', mapIndex: -1 };
    await setTaskInstanceState(store.db, one, { from: ['none'], to: 'scheduled', now: Date.now() });
    // A run whose DAG version is gone cannot be decided: the scheduling phase fails on it.
    await store.db.updateTable('dag_run').set({ dag_version_hash: 'gone' }).where('dag_id', '=', broken.dagId).where('run_id', '=', broken.runId).execute();

    const summary = await harness.scheduler.iterate();

    const failures = harness.events.filter((event) => event.type === 'phase_failed');
    expect(failures.map((event) => [event.phase, event.error.code])).toEqual([['schedule_runs', 'DAG_NOT_FOUND']]);
    expect(summary.tisQueued).toBe(1);
    expect(harness.events).toContainEqual({ type: 'ti_queued', key: { ...one, tryNumber: 1 }, executor: 'LocalExecutor' });
  });
});
