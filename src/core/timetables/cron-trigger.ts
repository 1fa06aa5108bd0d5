import { CronClock } from './cron-clock.ts';
import { exactRun, isAfterEnd, latestOf, skipsToLatest } from './types.ts';
import type { PlannedRun, TimeRestriction, TimetableOf } from './types.ts';

/**
 * Airflow 3's CronTriggerTimetable: a run at each tick, logical date = tick, empty data interval,
 * runnable at the tick itself. With catchup the next run is the tick after the last one; without,
 * it is the newest tick at or before now (so the current period runs at once) unless the tick after
 * the last run is newer. No run before the start date's first tick or after the end date.
 */
export function nextCronTriggerRun(
  timetable: TimetableOf<'cron'>,
  last: PlannedRun | null,
  restriction: TimeRestriction,
  now: number,
): PlannedRun | null {
  const clock = new CronClock(timetable.expression, timetable.timezone);
  const tick = latestOf(
    last === null ? null : clock.after(last.dataInterval.end),
    restriction.earliest === null ? null : clock.atOrAfter(restriction.earliest),
    skipsToLatest(restriction, last) ? clock.atOrBefore(now) : null,
  );
  if (tick === null || isAfterEnd(tick, restriction)) return null;
  return exactRun(tick);
}

