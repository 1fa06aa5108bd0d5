import type { PlannedRun } from './types.ts';

/** `schedule: null`: manual runs only, so the timetable never plans a run. */
export function nextNoneRun(): PlannedRun | null {
  return null;
}
