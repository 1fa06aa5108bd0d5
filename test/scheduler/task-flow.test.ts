import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { getDagRun, listDagRuns, listTries, setPool, setTaskInstanceState } from '../../src/store/index.ts';
import { createSchedulerHarness, dagFile, type SchedulerHarness } from './support/harness.ts';

/** The scheduler with a real LocalExecutor and real task processes, on SQLite and Postgres. */
describe.each(['sqlite', 'postgres'] as const)('scheduler task flow on %s', (dialect) => {
  let harness: SchedulerHarness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('applies trigger rules after a failure and joins after a branch', async () => {
    harness = await createSchedulerHarness({ dialect, files: [dagFile('trigger-rules.ts')] });
    const run = await harness.trigger('sched_trigger_rules');
    await harness.runUntil(harness.runFinished(run));
    const states = Object.fromEntries([...(await harness.tis(run))].map(([taskId, ti]) => [taskId, ti.state]));
    expect(states).toEqual({
      work: 'failed',
      on_fail: 'success',
      cleanup: 'success',
      after_success: 'upstream_failed',
      choose: 'success',
      left: 'success',
      right: 'skipped',
      join: 'success',
    });
    // The leaf after_success is upstream_failed, so the run fails.
    expect((await getDagRun(harness.store.db, run))?.state).toBe('failed');
    expect(harness.events).toContainEqual({ type: 'run_started', dagId: 'sched_trigger_rules', runId: run.runId });
  });

  it('retries a failed task only after its retry delay', async () => {
    harness = await createSchedulerHarness({ dialect, files: [dagFile('retries.ts')] });
    const run = await harness.trigger('sched_retries');
    await harness.runUntil(harness.runFinished(run));
    expect((await getDagRun(harness.store.db, run))?.state).toBe('success');
    const tries = await listTries(harness.store.db, { ...run, taskId: 'flaky', mapIndex: -1 });
    expect(tries.map((t) => t.state)).toEqual(['up_for_retry', 'success']);
    // The delay runs from the failure, which the task process sees (and dates its retry from) a
    // few milliseconds before its supervisor records the try's end.
    expect(tries[1]!.startDate! - tries[0]!.endDate!).toBeGreaterThanOrEqual(2000 - 50);
    expect(tries[1]!.startDate! - tries[0]!.endDate!).toBeLessThan(2000 + 1500);
  });

  it('never runs two tasks of a one-slot pool at once', async () => {
    harness = await createSchedulerHarness({ dialect, files: [dagFile('pool.ts')] });
    await setPool(harness.store.db, { name: 'single', slots: 1 });
    const run = await harness.trigger('sched_pool');
    await harness.runUntil(harness.runFinished(run));
    const spans = [...(await harness.tis(run)).values()].map((ti) => [ti.startDate!, ti.endDate!] as const).sort((a, b) => a[0] - b[0]);
    expect(spans).toHaveLength(3);
    for (let i = 1; i < spans.length; i++) expect(spans[i]![0]).toBeGreaterThanOrEqual(spans[i - 1]![1]);
  });

  it('never overlaps the runs of a DAG with maxActiveRuns 1', async () => {
    harness = await createSchedulerHarness({ dialect, files: [dagFile('max-active-runs.ts')] });
    const base = Date.UTC(2025, 0, 1);
    const runs = [];
    for (let day = 0; day < 3; day++) runs.push(await harness.trigger('sched_max_active_runs', { logicalDate: base + day * 86_400_000 }));
    await harness.runUntil(async () => (await listDagRuns(harness!.store.db, { dagId: 'sched_max_active_runs', states: ['success'], limit: 10, offset: 0 })).total === 3);
    const spans = (await Promise.all(runs.map((run) => getDagRun(harness!.store.db, run)))).map((run) => [run!.startDate!, run!.endDate!] as const);
    // Started oldest logical date first, each after the previous one ended.
    for (let i = 1; i < spans.length; i++) expect(spans[i]![0]).toBeGreaterThanOrEqual(spans[i - 1]![1]);
  });

  it('holds a dependsOnPast task until the previous run of it succeeded', async () => {
    harness = await createSchedulerHarness({ dialect, files: [dagFile('depends-on-past.ts')] });
    const day = 86_400_000;
    const first = await harness.trigger('sched_depends_on_past', { logicalDate: Date.UTC(2025, 0, 1), conf: { fail: true } });
    const second = await harness.trigger('sched_depends_on_past', { logicalDate: Date.UTC(2025, 0, 1) + day });
    await harness.runUntil(harness.runFinished(first));
    expect((await getDagRun(harness.store.db, first))?.state).toBe('failed');
    for (let i = 0; i < 3; i++) await harness.scheduler.iterate();
    expect((await harness.tis(second)).get('a')?.state).toBe('none');
    expect((await getDagRun(harness.store.db, second))?.state).toBe('running');

    // Marking the past task successful unblocks it.
    await setTaskInstanceState(harness.store.db, { ...first, taskId: 'a', mapIndex: -1 }, { to: 'success' });
    await harness.runUntil(harness.runFinished(second));
    expect((await harness.tis(second)).get('a')?.state).toBe('success');
  });

  it('frees the pool slot of a reschedule-mode sensor between pokes', async () => {
    harness = await createSchedulerHarness({ dialect, files: [dagFile('reschedule-sensor.ts')] });
    await setPool(harness.store.db, { name: 'single', slots: 1 });
    const run = await harness.trigger('sched_reschedule_sensor');
    await harness.runUntil(harness.runFinished(run));
    rmSync(join(tmpdir(), `updraft-third-poke-${encodeURIComponent(run.runId)}`), { force: true });
    const tis = await harness.tis(run);
    expect(tis.get('wait')?.state).toBe('success');
    expect(tis.get('other')?.state).toBe('success');
    // One try, resumed at each poke; the other task ran inside the sensor's wait.
    expect(tis.get('wait')?.tryNumber).toBe(1);
    expect((await listTries(harness.store.db, { ...run, taskId: 'wait', mapIndex: -1 })).map((t) => t.state)).toEqual(['success']);
    expect(tis.get('other')!.endDate!).toBeLessThan(tis.get('wait')!.endDate!);
    const firstPokeStarted = harness.events.findIndex((e) => e.type === 'ti_queued' && e.key.taskId === 'wait');
    const otherQueued = harness.events.findIndex((e) => e.type === 'ti_queued' && e.key.taskId === 'other');
    expect(firstPokeStarted).toBeGreaterThanOrEqual(0);
    expect(otherQueued).toBeGreaterThan(firstPokeStarted);
  });
});
