import { exactRun, isAfterEnd } from './types.ts';
import type { PlannedRun, TimeRestriction } from './types.ts';

/**
 * `@once`: a single run at the start date (or at once when there is none), whatever catchup says,
 * and nothing after the first automated run.
 */
export function nextOnceRun(last: PlannedRun | null, restriction: TimeRestriction, now: number): PlannedRun | null {
  if (last !== null) return null;
  const at = restriction.earliest ?? now;
  return isAfterEnd(at, restriction) ? null : exactRun(at);
}
