import { describe, expect, it } from 'vitest';
import { toSerializedTimetable } from '../../contracts/schedule.ts';
import { cronTimetable, deltaTimetable, expected, intervalCronTimetable, isoRun, ms, restriction } from '../../../test/core/timetable-helpers.ts';
import type { SerializedTimetable } from '../../contracts/serialized-dag.ts';
import type { TimeRestriction } from './index.ts';
import { runsBetween } from './index.ts';

function between(timetable: SerializedTimetable, bounds: TimeRestriction, from: string, to: string) {
  return runsBetween(timetable, bounds, ms(from), ms(to)).map(isoRun);
}

describe('runsBetween (backfill)', () => {
  const daily = cronTimetable('0 0 * * *');

  it('lists every cron tick in [from, to], both ends inclusive, ignoring catchup=false', () => {
    expect(between(daily, restriction('2024-01-01T00:00:00Z', { catchup: false }), '2024-01-10T00:00:00Z', '2024-01-12T00:00:00Z')).toEqual([
      expected('2024-01-10T00:00:00.000Z'),
      expected('2024-01-11T00:00:00.000Z'),
      expected('2024-01-12T00:00:00.000Z'),
    ]);
  });

  it('does not go before the start date or past the end date', () => {
    const bounds = restriction('2024-01-02T00:00:00Z', { end: '2024-01-03T12:00:00Z' });
    expect(between(daily, bounds, '2023-12-30T00:00:00Z', '2024-01-10T00:00:00Z')).toEqual([
      expected('2024-01-02T00:00:00.000Z'),
      expected('2024-01-03T00:00:00.000Z'),
    ]);
  });

  it('lists interval-cron runs whose logical date (interval start) is in range', () => {
    expect(between(intervalCronTimetable('0 0 * * *'), restriction('2024-01-01T00:00:00Z'), '2024-01-10T12:00:00Z', '2024-01-12T00:00:00Z')).toEqual([
      expected('2024-01-11T00:00:00.000Z', '2024-01-12T00:00:00.000Z'),
      expected('2024-01-12T00:00:00.000Z', '2024-01-13T00:00:00.000Z'),
    ]);
  });

  it('keeps delta intervals on the grid that starts at the start date', () => {
    expect(between(deltaTimetable({ hours: 5 }), restriction('2024-01-01T00:00:00Z'), '2024-01-01T12:00:00Z', '2024-01-02T00:00:00Z')).toEqual([
      expected('2024-01-01T15:00:00.000Z', '2024-01-01T20:00:00.000Z'),
      expected('2024-01-01T20:00:00.000Z', '2024-01-02T01:00:00.000Z'),
    ]);
  });

  it('includes the @once run only when its start date is in range', () => {
    const once = toSerializedTimetable('@once', 'UTC');
    expect(between(once, restriction('2024-01-05T00:00:00Z'), '2024-01-01T00:00:00Z', '2024-01-10T00:00:00Z')).toEqual([
      expected('2024-01-05T00:00:00.000Z'),
    ]);
    expect(between(once, restriction('2024-01-05T00:00:00Z'), '2024-01-06T00:00:00Z', '2024-01-10T00:00:00Z')).toEqual([]);
    expect(between(once, restriction(null), '2024-01-01T00:00:00Z', '2024-01-10T00:00:00Z')).toEqual([]);
  });

  it('lists nothing for a manual-only DAG or an empty range', () => {
    expect(between(toSerializedTimetable(null, 'UTC'), restriction('2024-01-01T00:00:00Z'), '2024-01-01T00:00:00Z', '2024-02-01T00:00:00Z')).toEqual([]);
    expect(between(daily, restriction('2024-01-01T00:00:00Z'), '2024-01-10T00:00:01Z', '2024-01-10T23:59:59Z')).toEqual([]);
  });

  it('follows DST in the timetable zone', () => {
    expect(between(cronTimetable('30 2 * * *', 'Europe/Berlin'), restriction(null), '2024-10-26T00:00:00Z', '2024-10-28T00:00:00Z')).toEqual([
      expected('2024-10-26T00:30:00.000Z'),
      expected('2024-10-27T00:30:00.000Z'),
    ]);
  });
});
