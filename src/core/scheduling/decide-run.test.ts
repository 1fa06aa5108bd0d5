import { describe, expect, it } from 'vitest';
import type { SerializedDag } from '../../contracts/serialized-dag.ts';
import type { TaskInstanceState } from '../../contracts/states.ts';
import { buildDag } from '../../../test/core/dag-builder.ts';
import { decideRun } from './decide-run.ts';
import type { RunSchedulingState, SchedulerCommand } from './types.ts';

const NOW = Date.UTC(2025, 0, 2);

function runOf(dag: SerializedDag, states: Record<string, TaskInstanceState>, overrides: Partial<RunSchedulingState> = {}): RunSchedulingState {
  return {
    dagId: dag.dagId,
    runId: 'r2',
    logicalDate: NOW - 1000,
    startDate: NOW - 1000,
    dag,
    tis: Object.entries(states).map(([taskId, state]) => ({ taskId, mapIndex: -1, state, tryNumber: state === 'none' ? 0 : 1, nextAttemptAt: null })),
    previousRun: null,
    ...overrides,
  };
}

/** `task:from->to` for each TI change, and `run:state` for the outcome. */
function summary(commands: SchedulerCommand[]): string[] {
  return commands.map((c) => (c.type === 'set_ti_state' ? `${c.key.taskId}:${c.from}->${c.to}` : c.type === 'finish_run' ? `run:${c.state}:${c.reason}` : c.type));
}

describe('decideRun', () => {
  const chain = buildDag({ a: {}, b: { upstream: ['a'] }, c: { upstream: ['b'] } });

  it('schedules tasks whose upstreams are done, and only those', () => {
    expect(summary(decideRun(runOf(chain, { a: 'none', b: 'none', c: 'none' }), NOW))).toEqual(['a:none->scheduled']);
    expect(summary(decideRun(runOf(chain, { a: 'success', b: 'none', c: 'none' }), NOW))).toEqual(['b:none->scheduled']);
    expect(summary(decideRun(runOf(chain, { a: 'running', b: 'none', c: 'none' }), NOW))).toEqual([]);
  });

  it('propagates upstream_failed and fails the run in the same decision', () => {
    expect(summary(decideRun(runOf(chain, { a: 'failed', b: 'none', c: 'none' }), NOW))).toEqual([
      'b:none->upstream_failed',
      'c:none->upstream_failed',
      'run:failed:tasks_done',
    ]);
  });

  it('runs one_failed / all_done handlers and finishes by the leaves', () => {
    const dag = buildDag({ work: {}, on_fail: { upstream: ['work'], triggerRule: 'one_failed' }, cleanup: { upstream: ['work'], triggerRule: 'all_done' } });
    expect(summary(decideRun(runOf(dag, { work: 'failed', on_fail: 'none', cleanup: 'none' }), NOW))).toEqual(['cleanup:none->scheduled', 'on_fail:none->scheduled']);
    expect(summary(decideRun(runOf(dag, { work: 'success', on_fail: 'none', cleanup: 'none' }), NOW))).toEqual(['on_fail:none->skipped', 'cleanup:none->scheduled']);
    expect(summary(decideRun(runOf(dag, { work: 'success', on_fail: 'skipped', cleanup: 'success' }), NOW))).toEqual(['run:success:tasks_done']);
  });

  it('joins after a branch with none_failed_min_one_success', () => {
    const dag = buildDag({ left: {}, right: {}, join: { upstream: ['left', 'right'], triggerRule: 'none_failed_min_one_success' } });
    expect(summary(decideRun(runOf(dag, { left: 'success', right: 'skipped', join: 'none' }), NOW))).toEqual(['join:none->scheduled']);
  });

  it('schedules a retry only once its delay has passed', () => {
    const run = runOf(chain, { a: 'up_for_retry', b: 'none', c: 'none' });
    run.tis[0]!.nextAttemptAt = NOW + 1;
    expect(summary(decideRun(run, NOW))).toEqual([]);
    run.tis[0]!.nextAttemptAt = NOW;
    const commands = decideRun(run, NOW);
    expect(summary(commands)).toEqual(['a:up_for_retry->scheduled']);
    expect(commands[0]).toMatchObject({ whenTryNumber: 1 });
  });

  it('schedules a reschedule-mode sensor again at its next poke', () => {
    const run = runOf(chain, { a: 'up_for_reschedule', b: 'none', c: 'none' });
    run.tis[0]!.nextAttemptAt = NOW - 5;
    expect(summary(decideRun(run, NOW))).toEqual(['a:up_for_reschedule->scheduled']);
  });

  it('holds a dependsOnPast task until the same task of the previous run succeeded or was skipped', () => {
    const dag = buildDag({ a: { dependsOnPast: true } });
    const previous = (state: TaskInstanceState) => ({ runId: 'r1', states: new Map([['a', state]]) });
    expect(summary(decideRun(runOf(dag, { a: 'none' }, { previousRun: previous('running') }), NOW))).toEqual([]);
    expect(summary(decideRun(runOf(dag, { a: 'none' }, { previousRun: previous('failed') }), NOW))).toEqual([]);
    expect(summary(decideRun(runOf(dag, { a: 'none' }, { previousRun: previous('success') }), NOW))).toEqual(['a:none->scheduled']);
    expect(summary(decideRun(runOf(dag, { a: 'none' }, { previousRun: previous('skipped') }), NOW))).toEqual(['a:none->scheduled']);
    expect(summary(decideRun(runOf(dag, { a: 'none' }), NOW))).toEqual(['a:none->scheduled']);
  });

  it('with waitForDownstream also waits for the previous run of its direct downstream tasks', () => {
    const base = buildDag({ a: {}, b: { upstream: ['a'] } });
    const dag: SerializedDag = { ...base, tasks: base.tasks.map((t) => (t.taskId === 'a' ? { ...t, waitForDownstream: true } : t)) };
    const previous = (b: TaskInstanceState) => ({ runId: 'r1', states: new Map<string, TaskInstanceState>([['a', 'success'], ['b', b]]) });
    expect(summary(decideRun(runOf(dag, { a: 'none', b: 'none' }, { previousRun: previous('running') }), NOW))).toEqual([]);
    expect(summary(decideRun(runOf(dag, { a: 'none', b: 'none' }, { previousRun: previous('success') }), NOW))).toEqual(['a:none->scheduled']);
  });

  it('fails a run past its dagrunTimeout and skips what has not finished', () => {
    const dag = { ...chain, dagrunTimeoutSeconds: 60 };
    const run = runOf(dag, { a: 'success', b: 'running', c: 'none' }, { startDate: NOW - 61_000 });
    expect(summary(decideRun(run, NOW))).toEqual(['b:running->skipped', 'c:none->skipped', 'run:failed:timeout']);
    expect(summary(decideRun({ ...run, startDate: NOW - 59_000 }, NOW))).toEqual([]);
  });
});
