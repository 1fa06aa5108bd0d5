import { afterEach, describe, expect, it } from 'vitest';
import type { Executor, ExecutorEventListener } from '../../src/executors/index.ts';
import { Scheduler } from '../../src/scheduler/index.ts';
import { listDagRuns } from '../../src/store/index.ts';
import { createSchedulerHarness, dagFile, type SchedulerHarness } from './support/harness.ts';

const HOUR = 3_600_000;

/**
 * An executor that runs nothing and reports a finished try every few milliseconds, as a busy host
 * does: the scheduler loop is woken again before any sleep of its can run out.
 */
function busyExecutor(): Executor & { close(): void } {
  const listeners = new Set<ExecutorEventListener>();
  const key = { dagId: 'elsewhere', runId: 'busy', taskId: 'short', mapIndex: -1, tryNumber: 1 };
  const ticker = setInterval(() => {
    for (const listener of listeners) listener({ type: 'try_finished', key, state: 'success' });
  }, 3);
  return {
    name: 'LocalExecutor',
    start: async () => undefined,
    availableSlots: () => 0,
    queue: () => {
      throw new Error('the busy executor takes no work');
    },
    activeTries: () => [],
    onEvent: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stop: async () => undefined,
    close: () => clearInterval(ticker),
  };
}

describe('run creation while events keep the scheduler loop busy', () => {
  let harness: SchedulerHarness | undefined;
  let executor: ReturnType<typeof busyExecutor> | undefined;
  afterEach(async () => {
    executor?.close();
    await harness?.close();
    harness = executor = undefined;
  });

  it('creates the run a schedule makes due although the loop never sleeps out a deadline', async () => {
    let clock = Date.UTC(2026, 0, 5, 10, 30);
    harness = await createSchedulerHarness({ dialect: 'sqlite', files: [dagFile('hourly.ts')], executor: false });
    const h = harness;
    executor = busyExecutor();
    const scheduler = new Scheduler({ store: h.store, config: h.config, executors: [executor], now: () => clock });
    await scheduler.start();
    const loop = scheduler.run();
    const runs = async () => (await listDagRuns(h.store.db, { dagId: 'sched_hourly', limit: 10, offset: 0, order: 'run_after_asc' })).runs;
    try {
      // The first loop creates the run of the last hour that has closed; the next is due an hour later.
      await expect.poll(async () => (await runs()).length).toBe(1);
      const first = (await runs())[0]!.dataIntervalStart!;
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await runs()).toHaveLength(1);

      clock += HOUR;
      await expect.poll(async () => (await runs()).map((run) => run.dataIntervalStart), { timeout: 3_000 }).toEqual([first, first + HOUR]);
    } finally {
      await scheduler.stop({ graceful: true });
      await loop;
    }
  });
});
