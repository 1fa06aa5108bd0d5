/**
 * The behaviour every executor promises the scheduler (src/executors/executor.ts), as one suite that
 * each implementation runs: `describeExecutorConformance('LocalExecutor', factory, { slots: 3 })`.
 * Tries run for real: a SQLite store of their own, the DAG in test/fixtures/dags-executors, real
 * task processes. Nothing here measures time; concurrency is proven by what the tasks themselves
 * wrote.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, test } from 'vitest';
import type { UpdraftConfig } from '../../src/config/index.ts';
import type { TaskExecutionApi } from '../../src/contracts/task-execution-api.ts';
import type { TaskWorkload } from '../../src/contracts/workload.ts';
import type { Executor, ExecutorEvent } from '../../src/executors/executor.ts';
import type { ExecutorLogger } from '../../src/executors/executor-logger.ts';
import { listTries } from '../../src/store/index.ts';
import { isGone } from '../worker/helpers/fixtures.ts';
import { createExecutorHarness, type ExecutorHarness } from './support/executor-harness.ts';
import { EventRecorder, recordingLogger, type LogRecord } from './support/executor-probes.ts';

export interface ExecutorFactoryContext {
  /** core.parallelism is HARNESS_PARALLELISM (3). */
  config: UpdraftConfig;
  api: TaskExecutionApi;
  logger: ExecutorLogger;
}

/** Builds the executor under test, not started yet. */
export type ExecutorFactory = (context: ExecutorFactoryContext) => Executor;

export interface ConformanceExpectations {
  /** availableSlots() of the idle, started executor. */
  slots: number;
}

interface ConformanceFixtures {
  harness: ExecutorHarness;
  logger: ExecutorLogger & { records: LogRecord[] };
  executor: Executor;
  events: EventRecorder;
}

/** The rendezvous_* tasks in the fixture DAG. */
const RENDEZVOUS_TASKS = 4;

export function describeExecutorConformance(name: string, factory: ExecutorFactory, expected: ConformanceExpectations): void {
  const it = test.extend<ConformanceFixtures>({
    harness: async ({}, use) => {
      const harness = await createExecutorHarness();
      await use(harness);
      await harness.close();
    },
    logger: async ({}, use) => use(recordingLogger()),
    executor: async ({ harness, logger }, use) => {
      const executor = factory({ config: harness.config, api: harness.api, logger });
      await use(executor);
      await executor.stop({ graceful: false });
    },
    events: async ({ executor }, use) => use(new EventRecorder(executor)),
  });

  /** Queues the workload and waits for its event. */
  async function run(executor: Executor, events: EventRecorder, workload: TaskWorkload): Promise<ExecutorEvent> {
    executor.queue(workload);
    return events.eventFor(workload.key);
  }

  describe(`${name} conformance`, () => {
    it('runs a workload to success and reports try_finished', async ({ harness, executor, events }) => {
      await executor.start();
      const testRun = await harness.newRun();
      const workload = await testRun.queue('report_pid');

      expect(await run(executor, events, workload)).toEqual({ type: 'try_finished', key: workload.key, state: 'success' });
      const ti = await testRun.ti('report_pid');
      expect(ti).toMatchObject({ state: 'success', tryNumber: 1 });
      // The supervisor recorded the pid of the process that really ran the task.
      expect(await testRun.returnValue('report_pid')).toBe(ti.pid);
      expect(executor.activeTries()).toEqual([]);
    });

    it('reports a failure with retries left as up_for_retry, and the last try as failed', async ({ harness, executor, events }) => {
      await executor.start();
      const testRun = await harness.newRun();
      const first = await testRun.queue('fails_with_retry');
      expect(await run(executor, events, first)).toEqual({ type: 'try_finished', key: first.key, state: 'up_for_retry' });
      expect(await testRun.ti('fails_with_retry')).toMatchObject({ state: 'up_for_retry', tryNumber: 1 });

      const second = await testRun.queue('fails_with_retry');
      expect(second.key.tryNumber).toBe(2);
      expect(await run(executor, events, second)).toEqual({ type: 'try_finished', key: second.key, state: 'failed' });
      expect(await testRun.ti('fails_with_retry')).toMatchObject({ state: 'failed', tryNumber: 2 });
    });

    it('rejects a try its task instance is not queued for, without running it', async ({ harness, executor, events, logger }) => {
      await executor.start();
      const testRun = await harness.newRun();
      const done = await testRun.queue('report_pid');
      await run(executor, events, done);

      // The same try again: the task instance has finished it.
      const again = new EventRecorder(executor);
      executor.queue(done);
      expect(await again.eventFor(done.key)).toMatchObject({ type: 'try_rejected', key: done.key, code: 'INVALID_STATE_TRANSITION' });
      // A try number the task instance is not at: it stays queued for its own try.
      const queued = await testRun.queue('fails_with_retry');
      const wrongTry = { ...queued, key: { ...queued.key, tryNumber: 3 } };
      expect(await run(executor, events, wrongTry)).toMatchObject({ type: 'try_rejected', code: 'INVALID_STATE_TRANSITION' });

      expect(await testRun.ti('report_pid')).toMatchObject({ state: 'success', tryNumber: 1 });
      expect(await testRun.ti('fails_with_retry')).toMatchObject({ state: 'queued', tryNumber: 0 });
      expect(await listTries(harness.store.db, done.key)).toHaveLength(1);
      expect(executor.availableSlots()).toBe(expected.slots);
      await executor.stop({ graceful: true });
      expect(logger.records.filter((record) => record.level === 'error')).toEqual([]);
    });

    it('accounts for slots and active tries, and refuses work it cannot take', async ({ harness, executor, events }) => {
      const testRuns = await Promise.all(Array.from({ length: expected.slots }, () => harness.newRun()));
      const gated = await Promise.all(testRuns.map((testRun) => testRun.queue('gated')));
      const [first, ...others] = gated as [TaskWorkload, ...TaskWorkload[]];

      expect(executor.availableSlots()).toBe(0);
      expect(() => executor.queue(first)).toThrow(expect.objectContaining({ code: 'EXECUTOR_NOT_RUNNING' }));
      await executor.start();
      expect(executor.availableSlots()).toBe(expected.slots);

      executor.queue(first);
      expect(executor.activeTries()).toEqual([first.key]);
      expect(executor.availableSlots()).toBe(expected.slots - 1);
      expect(() => executor.queue(first)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
      for (const workload of others) executor.queue(workload);
      expect(executor.availableSlots()).toBe(0);
      expect(executor.activeTries()).toEqual(gated.map((workload) => workload.key));
      const extra = await (await harness.newRun()).queue('report_pid');
      expect(() => executor.queue(extra)).toThrow(expect.objectContaining({ code: 'EXECUTOR_FULL' }));

      await waitUntil(() => testRuns.every((testRun) => existsSync(join(testRun.dir, 'started'))));
      expect(executor.availableSlots()).toBe(0);
      writeFileSync(join(testRuns[0]!.dir, 'release'), '');
      expect(await events.eventFor(first.key)).toMatchObject({ type: 'try_finished', state: 'success' });
      expect(executor.availableSlots()).toBe(1);
      expect(executor.activeTries()).toEqual(others.map((workload) => workload.key));

      for (const testRun of testRuns) writeFileSync(join(testRun.dir, 'release'), '');
      await Promise.all(gated.map((workload) => events.eventFor(workload.key)));
      expect(executor.activeTries()).toEqual([]);
      expect(executor.availableSlots()).toBe(expected.slots);
    });

    it('sees the freed slot from inside the try_finished listener', async ({ harness, executor }) => {
      await executor.start();
      const workload = await (await harness.newRun()).queue('report_pid');
      const seen = new Promise<{ slots: number; active: number }>((resolve) =>
        executor.onEvent(() => resolve({ slots: executor.availableSlots(), active: executor.activeTries().length })),
      );
      executor.queue(workload);
      expect(await seen).toEqual({ slots: expected.slots, active: 0 });
    });

    it(`runs ${Math.min(expected.slots, RENDEZVOUS_TASKS)} tries at once when it has the slots`, async ({ harness, executor, events }) => {
      const parties = Math.min(expected.slots, RENDEZVOUS_TASKS);
      await executor.start();
      const testRun = await harness.newRun({ parties });
      const workloads = await Promise.all(Array.from({ length: parties }, (_, n) => testRun.queue(`rendezvous_${n}`)));
      for (const workload of workloads) executor.queue(workload);
      const ended = await Promise.all(workloads.map((workload) => events.eventFor(workload.key)));
      // Each rendezvous task waits until all `parties` have started, so success means they overlapped.
      expect(ended.map((event) => event.type === 'try_finished' && event.state)).toEqual(workloads.map(() => 'success'));
      const spans = (await Promise.all(workloads.map((workload) => testRun.returnValue(workload.key.taskId)))) as {
        startedAt: number;
        finishedAt: number;
        pid: number;
      }[];
      expect(Math.max(...spans.map((span) => span.startedAt))).toBeLessThanOrEqual(Math.min(...spans.map((span) => span.finishedAt)));
      expect(new Set(spans.map((span) => span.pid)).size).toBe(parties);
    });

    it("gives a task with isolation 'process' a fresh process of its own", async ({ harness, executor, events }) => {
      await executor.start();
      const pidOf = async (taskId: string): Promise<number> => {
        const testRun = await harness.newRun();
        const workload = await testRun.queue(taskId);
        expect(await run(executor, events, workload)).toMatchObject({ type: 'try_finished', state: 'success' });
        return (await testRun.returnValue(taskId)) as number;
      };
      const warm = await pidOf('report_pid');
      const isolated = await pidOf('report_pid_isolated');
      const warmAgain = await pidOf('report_pid');
      const isolatedAgain = await pidOf('report_pid_isolated');
      expect(isolated).not.toBe(warm);
      // The isolated process ran one task and was retired: nothing runs in it again.
      expect(warmAgain).not.toBe(isolated);
      expect([warm, isolated, warmAgain]).not.toContain(isolatedAgain);
      await waitUntil(() => isGone(isolated));
    });

    it('waits for active tries on a graceful stop', async ({ harness, executor, events }) => {
      await executor.start();
      const testRun = await harness.newRun();
      const workload = await testRun.queue('gated');
      executor.queue(workload);
      await waitUntil(() => existsSync(join(testRun.dir, 'started')));

      let stopped = false;
      const stopping = executor.stop({ graceful: true }).then(() => {
        stopped = true;
      });
      expect(executor.availableSlots()).toBe(0);
      const late = await (await harness.newRun()).queue('report_pid');
      expect(() => executor.queue(late)).toThrow(expect.objectContaining({ code: 'EXECUTOR_NOT_RUNNING' }));
      expect(await testRun.ti('gated')).toMatchObject({ state: 'running' });
      expect(stopped).toBe(false);

      writeFileSync(join(testRun.dir, 'release'), '');
      await stopping;
      // The try ran to its end before stop() resolved.
      expect(events.eventsFor(workload.key)).toEqual([{ type: 'try_finished', key: workload.key, state: 'success' }]);
      expect(await testRun.ti('gated')).toMatchObject({ state: 'success' });
      expect(executor.activeTries()).toEqual([]);
      await expect(executor.start()).rejects.toMatchObject({ code: 'EXECUTOR_NOT_RUNNING' });
    });

    it('kills active tries on a non-graceful stop and records them', async ({ harness, executor, events }) => {
      await executor.start();
      const testRun = await harness.newRun();
      const workload = await testRun.queue('gated');
      executor.queue(workload);
      await waitUntil(() => existsSync(join(testRun.dir, 'started')));
      const pid = Number(readFileSync(join(testRun.dir, 'started'), 'utf8'));

      await executor.stop({ graceful: false });
      expect(events.eventsFor(workload.key)).toEqual([{ type: 'try_finished', key: workload.key, state: 'failed' }]);
      expect(await testRun.ti('gated')).toMatchObject({ state: 'failed' });
      expect(existsSync(join(testRun.dir, 'release'))).toBe(false);
      expect(isGone(pid)).toBe(true);
      expect(executor.activeTries()).toEqual([]);
    });

    it('survives a try that breaks its supervisor: logs it, frees the slot, runs the next', async ({ harness, executor, events, logger }) => {
      await executor.start();
      const testRun = await harness.newRun();
      // A log path outside the logs folder: the supervisor refuses it after the try started.
      const broken = { ...(await testRun.queue('report_pid')), logPath: '../outside.log' };
      const event = await run(executor, events, broken);
      expect(event).toMatchObject({ type: 'try_errored', key: broken.key, error: { code: 'INVALID_ARGUMENT' } });
      expect(executor.availableSlots()).toBe(expected.slots);
      // The supervisor still recorded the try's end, so the task instance does not hang in running.
      expect((await testRun.ti('report_pid')).state).toBe('failed');

      const next = await (await harness.newRun()).queue('report_pid');
      expect(await run(executor, events, next)).toMatchObject({ type: 'try_finished', state: 'success' });
      await executor.stop({ graceful: true });
      expect(logger.records).toContainEqual(expect.objectContaining({ level: 'error', details: expect.objectContaining({ key: broken.key }) }));
    });

    it('keeps going when an event listener throws', async ({ harness, executor, events, logger }) => {
      await executor.start();
      executor.onEvent(() => {
        throw new Error('listener exploded');
      });
      const first = await (await harness.newRun()).queue('report_pid');
      const second = await (await harness.newRun()).queue('report_pid');
      expect(await run(executor, events, first)).toMatchObject({ type: 'try_finished', state: 'success' });
      expect(await run(executor, events, second)).toMatchObject({ type: 'try_finished', state: 'success' });
      await executor.stop({ graceful: true });
      expect(logger.records.filter((record) => record.level === 'error')).toHaveLength(2);
    });
  });
}

/** Polls `condition` until it holds; the test's own timeout bounds it. */
async function waitUntil(condition: () => boolean): Promise<void> {
  while (!condition()) await sleep(10);
}
