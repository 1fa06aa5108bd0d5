import { describe, expect, it } from 'vitest';
import { buildDag, statesOf } from '../../test/core/dag-builder.ts';
import { evaluateRun, runOutcome } from './run-evaluation.ts';

describe('evaluateRun', () => {
  it('readies the roots of a fresh run, by priority weight then task id', () => {
    const dag = buildDag({
      low: { priorityWeight: 1, weightRule: 'absolute' },
      high: { priorityWeight: 5, weightRule: 'absolute' },
      also_low: { priorityWeight: 1, weightRule: 'absolute' },
      child: { upstream: ['low', 'high'] },
    });
    const result = evaluateRun(dag, statesOf({ low: 'none', high: 'none', also_low: 'none', child: 'none' }));
    expect(result).toEqual({ ready: ['high', 'also_low', 'low'], skip: [], upstreamFailed: [] });
  });

  it('uses downstream weights by default, so a task that unblocks more work goes first', () => {
    const dag = buildDag({ a: {}, b: {}, after_b: { upstream: ['b'] } });
    expect(evaluateRun(dag, statesOf({ a: 'none', b: 'none', after_b: 'none' })).ready).toEqual(['b', 'a']);
  });

  it('only considers task instances in state none', () => {
    const dag = buildDag({ a: {}, b: { upstream: ['a'] }, c: { upstream: ['a'] }, d: {} });
    const states = statesOf({ a: 'success', b: 'up_for_retry', c: 'queued', d: 'scheduled' });
    expect(evaluateRun(dag, states)).toEqual({ ready: [], skip: [], upstreamFailed: [] });
  });

  it('propagates a skip down a chain in one call, and all_done still runs after it', () => {
    const dag = buildDag({
      branch: {},
      a: { upstream: ['branch'] },
      b: { upstream: ['a'] },
      c: { upstream: ['b'] },
      cleanup: { upstream: ['c'], triggerRule: 'all_done' },
    });
    const result = evaluateRun(dag, statesOf({ branch: 'success', a: 'skipped', b: 'none', c: 'none', cleanup: 'none' }));
    expect(result).toEqual({ ready: ['cleanup'], skip: ['b', 'c'], upstreamFailed: [] });
  });

  it('propagates a failure as upstream_failed, and a join after a branch still runs', () => {
    const dag = buildDag({
      extract: {},
      transform: { upstream: ['extract'] },
      load: { upstream: ['transform'] },
      skipped_path: {},
      join: { upstream: ['load', 'skipped_path'], triggerRule: 'none_failed_min_one_success' },
      alert: { upstream: ['load'], triggerRule: 'one_failed' },
    });
    const states = statesOf({ extract: 'failed', transform: 'none', load: 'none', skipped_path: 'skipped', join: 'none', alert: 'none' });
    expect(evaluateRun(dag, states)).toEqual({ ready: ['alert'], skip: [], upstreamFailed: ['transform', 'load', 'join'] });
  });

  it('waits on running upstreams and on tasks that have no task instance yet', () => {
    const dag = buildDag({ a: {}, b: {}, c: { upstream: ['a'] }, d: { upstream: ['b'] } });
    expect(evaluateRun(dag, statesOf({ a: 'running', c: 'none', d: 'none' }))).toEqual({ ready: [], skip: [], upstreamFailed: [] });
  });

  it('rejects a cyclic DAG with DAG_CYCLE', () => {
    const dag = buildDag({ a: { upstream: ['b'] }, b: { upstream: ['a'] } });
    expect(() => evaluateRun(dag, statesOf({ a: 'none', b: 'none' }))).toThrow(expect.objectContaining({ code: 'DAG_CYCLE' }));
  });
});

describe('runOutcome', () => {
  const dag = buildDag({ a: {}, b: { upstream: ['a'] }, c: { upstream: ['a'], triggerRule: 'all_done' } });

  it('is running while any task instance is unfinished, even when a leaf already failed', () => {
    expect(runOutcome(dag, statesOf({ a: 'success', b: 'failed', c: 'running' }))).toBe('running');
    expect(runOutcome(dag, statesOf({ a: 'up_for_retry', b: 'none', c: 'none' }))).toBe('running');
    expect(runOutcome(dag, statesOf({ a: 'success', b: 'none', c: 'none' }))).toBe('running');
  });

  it('is success when every leaf succeeded or was skipped', () => {
    expect(runOutcome(dag, statesOf({ a: 'success', b: 'skipped', c: 'success' }))).toBe('success');
  });

  it('judges by leaves only: a failed inner task with a successful all_done leaf is success', () => {
    const inner = buildDag({ a: {}, cleanup: { upstream: ['a'], triggerRule: 'all_done' } });
    expect(runOutcome(inner, statesOf({ a: 'failed', cleanup: 'success' }))).toBe('success');
  });

  it('is failed when a leaf failed or is upstream_failed', () => {
    expect(runOutcome(dag, statesOf({ a: 'success', b: 'failed', c: 'success' }))).toBe('failed');
    expect(runOutcome(dag, statesOf({ a: 'failed', b: 'upstream_failed', c: 'success' }))).toBe('failed');
  });

  it('ignores removed leaves', () => {
    expect(runOutcome(dag, statesOf({ a: 'success', b: 'removed', c: 'success' }))).toBe('success');
  });

  it('fails a deadlocked run whose waiting task can never be decided', () => {
    // all_success behind a removed upstream neither runs, skips nor fails: Airflow calls it a deadlock.
    const stuck = buildDag({ a: {}, b: { upstream: ['a'] } });
    expect(runOutcome(stuck, statesOf({ a: 'removed', b: 'none' }))).toBe('failed');
  });
});
