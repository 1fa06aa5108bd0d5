import { afterEach, describe, expect, it } from 'vitest';
import type { Executor } from '../../src/executors/executor.ts';
import { createExecutor } from '../../src/executors/index.ts';
import type { SupervisorEvent } from '../../src/worker/supervisor/index.ts';
import { describeExecutorConformance } from './conformance.ts';
import { createExecutorHarness, HARNESS_PARALLELISM, type ExecutorHarness } from './support/executor-harness.ts';
import { EventRecorder, recordingLogger } from './support/executor-probes.ts';

describeExecutorConformance('LocalExecutor', (context) => createExecutor('LocalExecutor', context), { slots: HARNESS_PARALLELISM });

describe('LocalExecutor warm pool', () => {
  let harness: ExecutorHarness | undefined;
  let executor: Executor | undefined;
  afterEach(async () => {
    await executor?.stop({ graceful: false });
    await harness?.close();
  });

  it.each([
    { label: '-1 (default): one per slot', env: {} as Record<string, string>, warm: HARNESS_PARALLELISM },
    { label: '1, extras retired at once', env: { UPDRAFT__EXECUTORS__WARM_PROCESSES: '1', UPDRAFT__EXECUTORS__BURST_IDLE_SECONDS: '0' }, warm: 1 },
    { label: '0: none, extras retired at once', env: { UPDRAFT__EXECUTORS__WARM_PROCESSES: '0', UPDRAFT__EXECUTORS__BURST_IDLE_SECONDS: '0' }, warm: 0 },
    // Processes started for a burst stay warm for burst_idle_seconds (default 60 s), so the next burst reuses them all.
    { label: '1, burst extras kept for the next burst', env: { UPDRAFT__EXECUTORS__WARM_PROCESSES: '1' }, warm: HARNESS_PARALLELISM },
  ])('keeps processes warm between bursts as executors.warm_processes=$label says', async ({ env, warm }) => {
    harness = await createExecutorHarness(env);
    const supervisorEvents: SupervisorEvent[] = [];
    executor = createExecutor('LocalExecutor', {
      config: harness.config,
      api: harness.api,
      logger: recordingLogger(),
      onSupervisorEvent: (event) => supervisorEvents.push(event),
    });
    const events = new EventRecorder(executor);
    await executor.start();
    expect(executor.availableSlots()).toBe(HARNESS_PARALLELISM);

    /** Runs one try in every slot at once (the rendezvous tasks wait for each other). */
    const burst = async (): Promise<boolean[]> => {
      const testRun = await harness!.newRun({ parties: HARNESS_PARALLELISM });
      const workloads = await Promise.all(Array.from({ length: HARNESS_PARALLELISM }, (_, n) => testRun.queue(`rendezvous_${n}`)));
      for (const workload of workloads) executor!.queue(workload);
      const ended = await Promise.all(workloads.map((workload) => events.eventFor(workload.key)));
      expect(ended.map((event) => event.type === 'try_finished' && event.state)).toEqual(workloads.map(() => 'success'));
      const runId = testRun.runId;
      return supervisorEvents.flatMap((event) => (event.type === 'try_started' && event.key.runId === runId ? [event.reusedProcess] : []));
    };

    // However few processes are warm, every slot runs: tries beyond them get a fresh process.
    expect(await burst()).toEqual([false, false, false]);
    // Let burst_idle_seconds (0 in the cases that retire extras) elapse.
    await new Promise((resolve) => setTimeout(resolve, 50));
    // Only `warm` of those processes were kept for the next burst; the others were retired.
    const reused = await burst();
    expect(reused.filter(Boolean)).toHaveLength(warm);
  });
});
