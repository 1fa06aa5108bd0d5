import type { SerializedDag } from '../contracts/serialized-dag.ts';
import { isFinishedTiState } from '../contracts/states.ts';
import type { TaskInstanceState } from '../contracts/states.ts';
import { dagGraph, tasksById, topologicalOrder } from './dag-graph.ts';
import type { DagGraph } from './dag-graph.ts';
import { priorityWeights } from './priority-weights.ts';
import { evaluateTriggerRule } from './trigger-rules.ts';
import type { UpstreamSummary } from './trigger-rules.ts';

/** What the scheduler should do with a run's task instances that are still in state `none`. */
export interface RunEvaluation {
  /** Task ids whose trigger rule is met, by priority weight (highest first), then task id. */
  ready: string[];
  /** Task ids to mark `skipped`, upstream first. */
  skip: string[];
  /** Task ids to mark `upstream_failed`, upstream first. */
  upstreamFailed: string[];
}

export type RunOutcome = 'running' | 'success' | 'failed';

/**
 * Applies trigger rules to every task instance in state `none`, in topological order, treating
 * each decided skip or upstream failure as already applied so that it propagates downstream in
 * one call. Only trigger rules are checked: depends_on_past, pools and concurrency limits are the
 * scheduler's job, and `up_for_retry` instances wait for their retry time there too.
 * A task with no entry in `states` has no task instance yet: it is not a candidate, and as an
 * upstream it counts as unfinished.
 */
export function evaluateRun(dag: SerializedDag, states: ReadonlyMap<string, TaskInstanceState>): RunEvaluation {
  const graph = dagGraph(dag);
  const tasks = tasksById(dag);
  const decided = new Map(states);
  const result: RunEvaluation = { ready: [], skip: [], upstreamFailed: [] };
  for (const taskId of topologicalOrder(graph)) {
    const rule = tasks.get(taskId)?.triggerRule;
    if (decided.get(taskId) !== 'none' || rule === undefined) continue;
    const decision = evaluateTriggerRule(rule, summarizeUpstream(graph.upstream.get(taskId) ?? [], decided));
    if (decision === 'run') result.ready.push(taskId);
    if (decision === 'skip') {
      result.skip.push(taskId);
      decided.set(taskId, 'skipped');
    }
    if (decision === 'upstream_failed') {
      result.upstreamFailed.push(taskId);
      decided.set(taskId, 'upstream_failed');
    }
  }
  const weights = priorityWeights(dag);
  result.ready.sort((a, b) => (weights.get(b) ?? 0) - (weights.get(a) ?? 0) || compareIds(a, b));
  return result;
}

/**
 * Airflow's DagRun.update_state: `running` while any task instance is unfinished; then `failed`
 * if any leaf (a task nothing depends on) failed or is upstream_failed, else `success` (every leaf
 * succeeded or was skipped). Removed leaves do not count. Like Airflow, a run whose unfinished
 * instances can never start (all in `none`, and no trigger rule can be decided, e.g. all_success
 * behind a removed upstream) is deadlocked and fails rather than running forever.
 * Only task instances of tasks in `dag` are considered.
 */
export function runOutcome(dag: SerializedDag, states: ReadonlyMap<string, TaskInstanceState>): RunOutcome {
  const graph = dagGraph(dag);
  const present = graph.taskIds.flatMap((taskId) => {
    const state = states.get(taskId);
    return state === undefined ? [] : [{ taskId, state }];
  });
  const unfinished = present.filter(({ state }) => !isFinishedTiState(state));
  if (unfinished.length > 0) return isDeadlocked(dag, states, unfinished) ? 'failed' : 'running';
  const leafStates = present.filter(({ taskId, state }) => isLeaf(graph, taskId) && state !== 'removed').map(({ state }) => state);
  return leafStates.some((state) => state === 'failed' || state === 'upstream_failed') ? 'failed' : 'success';
}

function isDeadlocked(
  dag: SerializedDag,
  states: ReadonlyMap<string, TaskInstanceState>,
  unfinished: { state: TaskInstanceState }[],
): boolean {
  if (!unfinished.every(({ state }) => state === 'none')) return false;
  const { ready, skip, upstreamFailed } = evaluateRun(dag, states);
  return ready.length === 0 && skip.length === 0 && upstreamFailed.length === 0;
}

function isLeaf(graph: DagGraph, taskId: string): boolean {
  return (graph.downstream.get(taskId)?.length ?? 0) === 0;
}

function summarizeUpstream(upstreamIds: readonly string[], states: ReadonlyMap<string, TaskInstanceState>): UpstreamSummary {
  const summary: UpstreamSummary = { total: upstreamIds.length, success: 0, skipped: 0, failed: 0, upstreamFailed: 0, removed: 0, done: 0 };
  for (const id of upstreamIds) {
    const state = states.get(id);
    if (state === undefined || !isFinishedTiState(state)) continue;
    summary.done += 1;
    if (state === 'success') summary.success += 1;
    if (state === 'skipped') summary.skipped += 1;
    if (state === 'failed') summary.failed += 1;
    if (state === 'upstream_failed') summary.upstreamFailed += 1;
    if (state === 'removed') summary.removed += 1;
  }
  return summary;
}

/** Plain code-unit order, so the result does not depend on the host's locale. */
function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
