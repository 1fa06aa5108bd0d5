import { describe, expect, it } from 'vitest';
import { TRIGGER_RULES } from '../contracts/states.ts';
import type { TaskInstanceState, TriggerRule } from '../contracts/states.ts';
import { evaluateTriggerRule } from './trigger-rules.ts';
import type { TriggerDecision, UpstreamSummary } from './trigger-rules.ts';

/** The summary of upstreams in these states; `running` stands for any unfinished upstream. */
function upstreams(states: TaskInstanceState[]): UpstreamSummary {
  const count = (state: TaskInstanceState) => states.filter((s) => s === state).length;
  const summary = {
    total: states.length,
    success: count('success'),
    skipped: count('skipped'),
    failed: count('failed'),
    upstreamFailed: count('upstream_failed'),
    removed: count('removed'),
  };
  return { ...summary, done: summary.success + summary.skipped + summary.failed + summary.upstreamFailed + summary.removed };
}

type Case = [TaskInstanceState[], TriggerDecision];

const TABLE: Record<TriggerRule, Case[]> = {
  all_success: [
    [['success', 'success'], 'run'],
    [['success', 'running'], 'wait'],
    [['success', 'skipped'], 'skip'],
    [['running', 'skipped'], 'skip'],
    [['success', 'failed'], 'upstream_failed'],
    [['skipped', 'failed'], 'upstream_failed'],
    [['running', 'upstream_failed'], 'upstream_failed'],
  ],
  all_failed: [
    [['failed', 'upstream_failed'], 'run'],
    [['failed', 'running'], 'wait'],
    [['failed', 'success'], 'skip'],
    [['failed', 'skipped'], 'skip'],
    [['running', 'success'], 'skip'],
  ],
  all_done: [
    [['success', 'failed', 'skipped', 'upstream_failed', 'removed'], 'run'],
    [['success', 'running'], 'wait'],
    [['failed', 'running'], 'wait'],
  ],
  all_done_min_one_success: [
    [['success', 'failed'], 'run'],
    [['success', 'upstream_failed', 'removed'], 'run'],
    [['success', 'running'], 'wait'],
    [['failed', 'running'], 'wait'],
    [['failed', 'upstream_failed'], 'upstream_failed'],
    [['success', 'skipped'], 'skip'],
    [['running', 'skipped'], 'skip'],
  ],
  all_skipped: [
    [['skipped', 'skipped'], 'run'],
    [['skipped', 'running'], 'wait'],
    [['skipped', 'success'], 'skip'],
    [['skipped', 'failed'], 'skip'],
    [['running', 'upstream_failed'], 'skip'],
  ],
  one_success: [
    [['success', 'running'], 'run'],
    [['success', 'failed'], 'run'],
    [['failed', 'running'], 'wait'],
    [['skipped', 'running'], 'wait'],
    [['skipped', 'skipped'], 'skip'],
    [['failed', 'skipped'], 'upstream_failed'],
    [['upstream_failed', 'failed'], 'upstream_failed'],
  ],
  one_failed: [
    [['failed', 'running'], 'run'],
    [['upstream_failed', 'success'], 'run'],
    [['success', 'running'], 'wait'],
    [['success', 'skipped'], 'skip'],
  ],
  one_done: [
    [['success', 'running'], 'run'],
    [['failed', 'running'], 'run'],
    [['skipped', 'running'], 'wait'],
    [['upstream_failed', 'running'], 'wait'],
    [['skipped', 'upstream_failed'], 'skip'],
  ],
  none_failed: [
    [['success', 'skipped'], 'run'],
    [['skipped', 'skipped'], 'run'],
    [['success', 'running'], 'wait'],
    [['success', 'failed'], 'upstream_failed'],
    [['running', 'upstream_failed'], 'upstream_failed'],
  ],
  none_failed_min_one_success: [
    [['success', 'skipped'], 'run'],
    [['success', 'running'], 'wait'],
    [['skipped', 'running'], 'wait'],
    [['skipped', 'skipped'], 'skip'],
    [['skipped', 'failed'], 'upstream_failed'],
    [['running', 'upstream_failed'], 'upstream_failed'],
  ],
  none_skipped: [
    [['success', 'failed', 'upstream_failed'], 'run'],
    [['success', 'running'], 'wait'],
    [['success', 'skipped'], 'skip'],
    [['running', 'skipped'], 'skip'],
  ],
  always: [
    [['running', 'running'], 'run'],
    [['failed', 'skipped'], 'run'],
  ],
};

describe('evaluateTriggerRule', () => {
  it('has a table for every trigger rule', () => {
    expect(Object.keys(TABLE).sort()).toEqual([...TRIGGER_RULES].sort());
  });

  const rows = Object.entries(TABLE).flatMap(([rule, cases]) =>
    cases.map(([states, decision]) => ({ rule: rule as TriggerRule, states, decision })),
  );
  it.each(rows)('$rule with upstreams [$states] -> $decision', ({ rule, states, decision }) => {
    expect(evaluateTriggerRule(rule, upstreams(states))).toBe(decision);
  });

  it.each([...TRIGGER_RULES])('%s runs a task that has no upstreams', (rule) => {
    expect(evaluateTriggerRule(rule, upstreams([]))).toBe('run');
  });
});
