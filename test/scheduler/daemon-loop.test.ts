import { afterEach, describe, expect, it } from 'vitest';
import { createExecutor } from '../../src/executors/index.ts';
import { createSupervisorApi, Scheduler, type SchedulerEvent } from '../../src/scheduler/index.ts';
import { createNotifier, createStoreTaskExecutionApi, getDagRun, listTaskInstances, type Notifier } from '../../src/store/index.ts';
import { createSchedulerHarness, dagFile, type SchedulerHarness } from './support/harness.ts';

/**
 * The daemon loop with a ten-minute poll: a run can only finish if the notification of the trigger
 * and the executor's finished tries wake the loop.
 */
describe.each(['sqlite', 'postgres'] as const)('the scheduler loop on %s', (dialect) => {
  let harness: SchedulerHarness | undefined;
  let daemon: Scheduler | undefined;
  let notifier: Notifier | undefined;
  afterEach(async () => {
    await daemon?.stop({ graceful: false });
    await notifier?.close();
    await harness?.close();
    harness = daemon = notifier = undefined;
  });

  it('wakes on a run_triggered notification and on finished tries', async () => {
    harness = await createSchedulerHarness({ dialect, files: [dagFile('trigger-rules.ts')], executor: false, env: { UPDRAFT__SCHEDULER__POLL_INTERVAL_SECONDS: '600' } });
    const h = harness;
    notifier = createNotifier(h.store, { url: h.store.url });
    const api = createStoreTaskExecutionApi(h.store, { xcomMaxBytes: h.config.core.xcom_max_size_bytes });
    const events: SchedulerEvent[] = [];
    const finished = new Promise<void>((resolve) => {
      daemon = new Scheduler({
        store: h.store,
        config: h.config,
        executors: [createExecutor('LocalExecutor', { config: h.config, api })],
        notifier,
        onEvent: (event) => {
          events.push(event);
          if (event.type === 'run_finished') resolve();
        },
      });
    });
    await daemon!.start();
    const loop = daemon!.run();
    // Let the loop settle into its long sleep before the trigger.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const run = await h.trigger('sched_trigger_rules');
    await notifier.notify('run_triggered', run.dagId);
    await finished;
    expect((await getDagRun(h.store.db, run))?.state).toBe('failed');
    expect(events.filter((e) => e.type === 'try_finished').length).toBeGreaterThanOrEqual(5);
    await daemon!.stop({ graceful: true });
    await loop;
    daemon = undefined;
  });
});

describe('the scheduler loop after a try-end follow-up', () => {
  let harness: SchedulerHarness | undefined;
  let daemon: Scheduler | undefined;
  afterEach(async () => {
    await daemon?.stop({ graceful: false });
    await harness?.close();
    harness = daemon = undefined;
  });

  it('still looks soon after an end a follow-up handled: a later run waiting on the past starts without waiting for the poll', async () => {
    harness = await createSchedulerHarness({ dialect: 'sqlite', files: [dagFile('past-then-slow.ts')], executor: false, env: { UPDRAFT__SCHEDULER__POLL_INTERVAL_SECONDS: '600' } });
    const h = harness;
    const finished: string[] = [];
    const bothFinished = new Promise<void>((resolve) => {
      daemon = new Scheduler({
        store: h.store,
        config: h.config,
        executors: [createExecutor('LocalExecutor', { config: h.config, api: createSupervisorApi(h.store, h.config, () => daemon ?? null) })],
        onEvent: (event) => {
          if (event.type === 'run_finished' && finished.push(event.runId) === 2) resolve();
        },
      });
    });
    const first = await h.trigger('sched_past_then_slow', { logicalDate: Date.UTC(2025, 0, 1) });
    const second = await h.trigger('sched_past_then_slow', { logicalDate: Date.UTC(2025, 0, 2) });
    await daemon!.start();
    const loop = daemon!.run();
    await bothFinished;
    const tisOf = async (run: typeof first) => new Map((await listTaskInstances(h.store.db, run)).map((ti) => [ti.taskId, ti]));
    const [firstTis, secondTis] = [await tisOf(first), await tisOf(second)];
    // The follow-up of the first run's `quick` decides only the first run; the second run's `quick`
    // is the loop's to start, and it does so while the first run's `slow` still sleeps.
    expect(secondTis.get('quick')!.startDate!).toBeGreaterThan(firstTis.get('quick')!.endDate!);
    expect(secondTis.get('quick')!.startDate!).toBeLessThan(firstTis.get('slow')!.endDate!);
    await daemon!.stop({ graceful: true });
    await loop;
    daemon = undefined;
  });
});
