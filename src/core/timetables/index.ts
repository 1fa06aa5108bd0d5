export { manualDataInterval } from './manual-data-interval.ts';
export { nextRun } from './next-run.ts';
export { restrictionFor } from './restriction.ts';
export { runsBetween } from './runs-between.ts';
export type { DataInterval, PlannedRun, TimeRestriction } from './types.ts';
