import { DateTime } from 'luxon';
import { UpdraftError } from '../../contracts/errors.ts';
import type { DurationSpec } from '../../contracts/serialized-dag.ts';

/**
 * Duration arithmetic in the DAG's time zone. Luxon applies calendar units (years, months, weeks,
 * days) on the wall clock and time units (hours, minutes, seconds) on the real clock, so
 * `{ days: 1 }` is one calendar day (23 or 25 hours across a DST change) while `{ hours: 24 }` is
 * always 24 hours. Airflow's `timedelta(days=1)` is 24 hours and its `relativedelta(days=1)` is a
 * calendar day; we choose the calendar meaning because "daily" should stay at the same local time.
 */
export function plusDuration(instant: number, duration: DurationSpec, timezone: string): number {
  return zoned(instant, timezone).plus(duration).toMillis();
}

export function minusDuration(instant: number, duration: DurationSpec, timezone: string): number {
  return zoned(instant, timezone).minus(duration).toMillis();
}

function zoned(instant: number, timezone: string): DateTime {
  const dateTime = DateTime.fromMillis(instant, { zone: timezone });
  if (!dateTime.isValid) {
    throw new UpdraftError('DAG_INVALID_TIMEZONE', `Cannot compute times in zone "${timezone}"`, {
      hint: 'Use an IANA zone name such as "UTC" or "Europe/Berlin"',
      details: { timezone, reason: dateTime.invalidExplanation },
    });
  }
  return dateTime;
}
