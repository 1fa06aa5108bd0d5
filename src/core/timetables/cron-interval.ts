import { CronClock } from './cron-clock.ts';
import { exactInterval, intervalRun, isAfterEnd, latestOf, skipsToLatest } from './types.ts';
import type { DataInterval, PlannedRun, TimeRestriction, TimetableOf } from './types.ts';

/**
 * Airflow's CronDataIntervalTimetable: a run covers [tick, next tick), its logical date is the
 * interval start and it may start once the interval has closed. A start date between ticks aligns
 * forward to the next tick. Without catchup the run is the latest interval that has closed by now
 * ("skip to latest"), unless the interval after the last run is newer.
 */
export function nextCronIntervalRun(
  timetable: TimetableOf<'interval_cron'>,
  last: PlannedRun | null,
  restriction: TimeRestriction,
  now: number,
): PlannedRun | null {
  const clock = new CronClock(timetable.expression, timetable.timezone);
  const alignedEarliest = restriction.earliest === null ? null : clock.atOrAfter(restriction.earliest);
  const floor = skipsToLatest(restriction, last)
    ? latestOf(latestClosedIntervalStart(clock, now), alignedEarliest)
    : alignedEarliest;
  // Aligning the last end copes with a schedule that changed since the last run.
  const start = last === null ? floor : latestOf(clock.atOrBefore(last.dataInterval.end), floor);
  if (start === null || isAfterEnd(start, restriction)) return null;
  const end = clock.after(start);
  return end === null ? null : intervalRun(start, end);
}

/**
 * A manual run covers the last complete interval before it: triggered at 01:00 on the 25th, a
 * daily schedule gives [24th 00:00, 25th 00:00).
 */
export function manualCronIntervalInterval(timetable: TimetableOf<'interval_cron'>, runAfter: number): DataInterval {
  const clock = new CronClock(timetable.expression, timetable.timezone);
  const end = clock.atOrBefore(runAfter);
  const start = end === null ? null : clock.before(end);
  // A cron that never fires again has no interval to offer; fall back to the trigger instant.
  if (end === null || start === null) return exactInterval(runAfter);
  return { start, end };
}

/** The start of the newest interval whose end is at or before `now`. */
function latestClosedIntervalStart(clock: CronClock, now: number): number | null {
  const end = clock.atOrBefore(now);
  return end === null ? null : clock.before(end);
}
