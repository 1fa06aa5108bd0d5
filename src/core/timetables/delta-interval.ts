import { intervalRun, isAfterEnd, latestOf, skipsToLatest } from './types.ts';
import type { DataInterval, PlannedRun, TimeRestriction, TimetableOf } from './types.ts';
import { minusDuration, plusDuration } from './zoned-duration.ts';

/**
 * Airflow's DeltaDataIntervalTimetable: intervals [s, s + duration) laid end to end from the start
 * date, each runnable once it has closed. Durations are calendar-aware (see zoned-duration.ts).
 * Without catchup the next interval starts at max(last end, now - duration), so at most one
 * interval's worth of the past is run. Airflow also rounds `now` down to a multiple of the duration
 * since the epoch; we do not, because that rounding is meaningless for calendar units like months.
 */
export function nextDeltaRun(
  timetable: TimetableOf<'delta'>,
  last: PlannedRun | null,
  restriction: TimeRestriction,
  now: number,
): PlannedRun | null {
  const { duration, timezone } = timetable;
  const floor = skipsToLatest(restriction, last)
    ? latestOf(restriction.earliest, minusDuration(now, duration, timezone))
    : restriction.earliest;
  const start = last === null ? floor : latestOf(last.dataInterval.end, floor);
  if (start === null || isAfterEnd(start, restriction)) return null;
  return intervalRun(start, plusDuration(start, duration, timezone));
}

/** A manual run covers the duration that ends when it runs. */
export function manualDeltaInterval(timetable: TimetableOf<'delta'>, runAfter: number): DataInterval {
  return { start: minusDuration(runAfter, timetable.duration, timetable.timezone), end: runAfter };
}
