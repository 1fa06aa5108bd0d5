/**
 * The pure domain rules of Updraft: no I/O, no clocks (time comes in as arguments), only
 * src/contracts and the time libraries. The scheduler decides with these and applies the results.
 */
export { dagGraph, dependsOnPreviousRun, reachableFrom, tasksById, topologicalOrder } from './dag-graph.ts';
export type { DagGraph } from './dag-graph.ts';
export { priorityWeights, tasksAtEffectiveWeights } from './priority-weights.ts';
export { DEFAULT_MAX_RETRY_DELAY_SECONDS, fnv1a32, nextRetryAt, shouldRetry } from './retries.ts';
export type { RetryPolicy } from './retries.ts';
export { evaluateRun, runOutcome } from './run-evaluation.ts';
export type { RunEvaluation, RunOutcome } from './run-evaluation.ts';
export { assertTransition, canTransition } from './ti-state-machine.ts';
export { manualDataInterval, nextRun, restrictionFor, runsBetween } from './timetables/index.ts';
export type { DataInterval, PlannedRun, TimeRestriction } from './timetables/index.ts';
export { evaluateTriggerRule } from './trigger-rules.ts';
export type { TriggerDecision, UpstreamSummary } from './trigger-rules.ts';
export * from './scheduling/index.ts';
