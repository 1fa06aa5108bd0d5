import type { TriggerRule } from '../contracts/states.ts';

/** Counts of a task's direct upstream task instances by state; `done` counts all finished ones. */
export interface UpstreamSummary {
  total: number;
  success: number;
  skipped: number;
  failed: number;
  upstreamFailed: number;
  removed: number;
  done: number;
}

/**
 * - `run`: the rule is met;
 * - `wait`: not met yet, but it still can be;
 * - `skip` / `upstream_failed`: it can no longer be met, and the task instance takes that state.
 */
export type TriggerDecision = 'run' | 'wait' | 'skip' | 'upstream_failed';

type RuleEvaluator = (up: UpstreamSummary) => TriggerDecision;

/**
 * Airflow's TriggerRuleDep for unmapped tasks, with the scheduler's flag_upstream_failed on: first
 * whether the rule can no longer be met (and which terminal state that gives), then whether it is
 * met now. The asymmetries are Airflow's and deliberate: all_success turns a skipped upstream into
 * `skip` but a failed one into `upstream_failed`; one_success waits until every upstream is done
 * before giving up; all_done_min_one_success skips as soon as any upstream skipped.
 */
const RULES: Readonly<Record<TriggerRule, RuleEvaluator>> = {
  all_success: (up) => {
    if (up.failed > 0 || up.upstreamFailed > 0) return 'upstream_failed';
    if (up.skipped > 0) return 'skip';
    return metWhen(up.success >= up.total);
  },
  all_failed: (up) => {
    if (up.success > 0 || up.skipped > 0) return 'skip';
    return metWhen(up.failed + up.upstreamFailed >= up.total);
  },
  all_done: (up) => metWhen(allDone(up)),
  all_done_min_one_success: (up) => {
    // Skipped upstreams do not count as done for this rule, so any skip ends it.
    if (up.skipped > 0) return 'skip';
    const nonSkippedDone = up.success + up.failed + up.upstreamFailed + up.removed;
    if (nonSkippedDone < up.total) return 'wait';
    return up.success === 0 ? 'upstream_failed' : 'run';
  },
  all_skipped: (up) => {
    if (up.success > 0 || up.failed > 0 || up.upstreamFailed > 0) return 'skip';
    return metWhen(up.skipped >= up.total);
  },
  one_success: (up) => {
    if (up.success > 0) return 'run';
    if (!allDone(up)) return 'wait';
    return up.done === up.skipped ? 'skip' : 'upstream_failed';
  },
  one_failed: (up) => {
    if (up.failed > 0 || up.upstreamFailed > 0) return 'run';
    return allDone(up) ? 'skip' : 'wait';
  },
  one_done: (up) => {
    if (up.success > 0 || up.failed > 0) return 'run';
    return allDone(up) ? 'skip' : 'wait';
  },
  none_failed: (up) => {
    if (up.failed > 0 || up.upstreamFailed > 0) return 'upstream_failed';
    return metWhen(up.success + up.skipped >= up.total);
  },
  none_failed_min_one_success: (up) => {
    if (up.failed > 0 || up.upstreamFailed > 0) return 'upstream_failed';
    if (up.skipped >= up.total) return 'skip';
    return metWhen(up.success + up.skipped >= up.total);
  },
  none_skipped: (up) => {
    if (up.skipped > 0) return 'skip';
    return metWhen(allDone(up));
  },
  always: () => 'run',
};

/** Decides what a task instance in state `none` should do given its direct upstreams. */
export function evaluateTriggerRule(rule: TriggerRule, up: UpstreamSummary): TriggerDecision {
  // Like Airflow, a task without upstreams has nothing to wait for, whatever its rule.
  if (up.total === 0) return 'run';
  return RULES[rule](up);
}

function allDone(up: UpstreamSummary): boolean {
  return up.done >= up.total;
}

function metWhen(met: boolean): TriggerDecision {
  return met ? 'run' : 'wait';
}
