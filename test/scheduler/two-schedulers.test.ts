import { afterEach, describe, expect, it } from 'vitest';
import { createExecutor } from '../../src/executors/index.ts';
import { Scheduler, type SchedulerEvent } from '../../src/scheduler/index.ts';
import { createStoreTaskExecutionApi, listTries, setPool } from '../../src/store/index.ts';
import { createSchedulerHarness, dagFile, type SchedulerHarness } from './support/harness.ts';

/** Two schedulers against one Postgres database: claims never overlap and pool limits hold across them. */
describe('two schedulers on one Postgres database', () => {
  let harness: SchedulerHarness | undefined;
  let second: Scheduler | undefined;
  afterEach(async () => {
    await second?.stop({ graceful: false });
    await harness?.close();
    harness = second = undefined;
  });

  it('queue every task instance once and never exceed a pool together', async () => {
    harness = await createSchedulerHarness({ dialect: 'postgres', files: [dagFile('many-in-pool.ts')] });
    const h = harness;
    await setPool(h.store.db, { name: 'pair', slots: 2 });
    const secondEvents: SchedulerEvent[] = [];
    const api = createStoreTaskExecutionApi(h.store, { xcomMaxBytes: h.config.core.xcom_max_size_bytes });
    second = new Scheduler({ store: h.store, config: h.config, executors: [createExecutor('LocalExecutor', { config: h.config, api })], onEvent: (e) => secondEvents.push(e) });
    await second.start();
    const run = await h.trigger('sched_many_in_pool');

    const finished = h.runFinished(run);
    let done = false;
    const loop = async (scheduler: Scheduler): Promise<void> => {
      const deadline = Date.now() + 60_000;
      while (!done && Date.now() < deadline) {
        await scheduler.iterate();
        done ||= await finished();
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    await Promise.all([loop(h.scheduler), loop(second)]);
    expect(done).toBe(true);

    const queued = [...h.events, ...secondEvents].filter((e) => e.type === 'ti_queued').map((e) => e.type === 'ti_queued' && e.key.taskId);
    expect(queued.sort()).toEqual(['t1', 't2', 't3', 't4', 't5', 't6', 't7', 't8']);
    // No phase failed (no deadlock, no serialization error) in either, and every task ran exactly one try.
    expect([...h.events, ...secondEvents].filter((e) => e.type === 'phase_failed')).toEqual([]);
    const tis = [...(await h.tis(run)).values()];
    for (const ti of tis) expect((await listTries(h.store.db, ti)).map((t) => t.state)).toEqual(['success']);
    // At no instant were more than two running.
    const edges = tis.flatMap((ti) => [[ti.startDate!, 1] as const, [ti.endDate!, -1] as const]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    let running = 0;
    let most = 0;
    for (const [, delta] of edges) most = Math.max(most, (running += delta));
    expect(most).toBeLessThanOrEqual(2);
  });
});
