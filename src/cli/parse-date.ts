import { DateTime } from 'luxon';
import { UpdraftError } from '../contracts/errors.ts';

/**
 * Parses a logical date given on the command line. A date without a time (`2015-06-01`) is midnight
 * in the DAG's timezone, as Airflow does; a full ISO timestamp keeps its offset (UTC if it has none).
 */
export function parseLogicalDate(value: string | undefined, timezone: string, now: number = Date.now()): number {
  if (value === undefined) return now;
  const zone = /^\d{4}-\d{2}-\d{2}$/.test(value) ? timezone : 'UTC';
  const parsed = DateTime.fromISO(value, { zone, setZone: true });
  if (!parsed.isValid) {
    throw new UpdraftError('INVALID_ARGUMENT', `"${value}" is not a date`, {
      hint: 'Give an ISO date (2015-06-01) or timestamp (2015-06-01T06:00:00+02:00)',
    });
  }
  return parsed.toMillis();
}
