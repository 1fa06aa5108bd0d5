import type { SerializedTimetable } from '../../contracts/serialized-dag.ts';
import { nextCronIntervalRun } from './cron-interval.ts';
import { nextCronTriggerRun } from './cron-trigger.ts';
import { nextDeltaRun } from './delta-interval.ts';
import { nextNoneRun } from './none.ts';
import { nextOnceRun } from './once.ts';
import type { PlannedRun, TimeRestriction } from './types.ts';

/**
 * Airflow's next_dagrun_info: the next automated run after `last` (null = none yet), or null if
 * there is none. `now` matters only when the timetable skips to the present (catchup off, or no
 * start date and no previous run).
 */
export function nextRun(
  timetable: SerializedTimetable,
  last: PlannedRun | null,
  restriction: TimeRestriction,
  now: number,
): PlannedRun | null {
  switch (timetable.kind) {
    case 'none':
      return nextNoneRun();
    case 'once':
      return nextOnceRun(last, restriction, now);
    case 'cron':
      return nextCronTriggerRun(timetable, last, restriction, now);
    case 'interval_cron':
      return nextCronIntervalRun(timetable, last, restriction, now);
    case 'delta':
      return nextDeltaRun(timetable, last, restriction, now);
  }
}
