import { describe, expect, it } from 'vitest';
import { toSerializedTimetable } from '../../contracts/schedule.ts';
import { deltaTimetable, expected, isoRun, lastRun, ms, restriction, walk } from '../../../test/core/timetable-helpers.ts';
import { manualDataInterval, nextRun } from './index.ts';

const NEVER = ms('2000-01-01T00:00:00Z');

describe('delta timetable', () => {
  it('is what duration schedules serialize to', () => {
    expect(toSerializedTimetable({ hours: 6 }, 'UTC')).toMatchObject({ kind: 'delta', duration: { hours: 6 } });
  });

  it('lays hour intervals end to end from the start date, each run after it closes', () => {
    expect(walk(deltaTimetable({ hours: 6 }), restriction('2024-01-01T00:00:00Z'), NEVER, 3)).toEqual([
      expected('2024-01-01T00:00:00.000Z', '2024-01-01T06:00:00.000Z'),
      expected('2024-01-01T06:00:00.000Z', '2024-01-01T12:00:00.000Z'),
      expected('2024-01-01T12:00:00.000Z', '2024-01-01T18:00:00.000Z'),
    ]);
  });

  it('{ days: 1 } is a calendar day in Europe/Berlin: 23 hours in spring, 25 in autumn', () => {
    const days = deltaTimetable({ days: 1 }, 'Europe/Berlin');
    expect(walk(days, restriction('2024-03-30T23:00:00Z'), NEVER, 2)).toEqual([
      expected('2024-03-30T23:00:00.000Z', '2024-03-31T22:00:00.000Z'),
      expected('2024-03-31T22:00:00.000Z', '2024-04-01T22:00:00.000Z'),
    ]);
    expect(walk(days, restriction('2024-10-26T22:00:00Z'), NEVER, 1)).toEqual([
      expected('2024-10-26T22:00:00.000Z', '2024-10-27T23:00:00.000Z'),
    ]);
  });

  it('{ hours: 24 } stays 24 real hours across the same change', () => {
    expect(walk(deltaTimetable({ hours: 24 }, 'Europe/Berlin'), restriction('2024-03-30T23:00:00Z'), NEVER, 1)).toEqual([
      expected('2024-03-30T23:00:00.000Z', '2024-03-31T23:00:00.000Z'),
    ]);
  });

  it('{ days: 1 } in America/New_York keeps local midnight across both transitions', () => {
    const days = deltaTimetable({ days: 1 }, 'America/New_York');
    expect(walk(days, restriction('2024-03-10T05:00:00Z'), NEVER, 1)).toEqual([
      expected('2024-03-10T05:00:00.000Z', '2024-03-11T04:00:00.000Z'),
    ]);
    expect(walk(days, restriction('2024-11-03T04:00:00Z'), NEVER, 1)).toEqual([
      expected('2024-11-03T04:00:00.000Z', '2024-11-04T05:00:00.000Z'),
    ]);
  });

  it('{ months: 1 } clamps to the month end, then continues from the clamped day', () => {
    expect(walk(deltaTimetable({ months: 1 }), restriction('2024-01-31T00:00:00Z'), NEVER, 3)).toEqual([
      expected('2024-01-31T00:00:00.000Z', '2024-02-29T00:00:00.000Z'),
      expected('2024-02-29T00:00:00.000Z', '2024-03-29T00:00:00.000Z'),
      expected('2024-03-29T00:00:00.000Z', '2024-04-29T00:00:00.000Z'),
    ]);
    expect(walk(deltaTimetable({ months: 1 }), restriction('2023-01-31T00:00:00Z'), NEVER, 1)).toEqual([
      expected('2023-01-31T00:00:00.000Z', '2023-02-28T00:00:00.000Z'),
    ]);
  });

  it('{ years: 1 } from Feb 29 lands on Feb 28 of the next year', () => {
    expect(walk(deltaTimetable({ years: 1 }), restriction('2024-02-29T00:00:00Z'), NEVER, 2)).toEqual([
      expected('2024-02-29T00:00:00.000Z', '2025-02-28T00:00:00.000Z'),
      expected('2025-02-28T00:00:00.000Z', '2026-02-28T00:00:00.000Z'),
    ]);
  });

  it('{ days: 1 } across Feb 29 of a leap year', () => {
    expect(walk(deltaTimetable({ days: 1 }), restriction('2024-02-28T00:00:00Z'), NEVER, 2)).toEqual([
      expected('2024-02-28T00:00:00.000Z', '2024-02-29T00:00:00.000Z'),
      expected('2024-02-29T00:00:00.000Z', '2024-03-01T00:00:00.000Z'),
    ]);
  });

  it('without catchup, starts at max(last end, now - duration)', () => {
    const sixHours = deltaTimetable({ hours: 6 });
    const bounds = restriction('2024-01-01T00:00:00Z', { catchup: false });
    const now = ms('2024-03-10T15:30:00Z');
    expect(isoRun(nextRun(sixHours, null, bounds, now))).toEqual(expected('2024-03-10T09:30:00.000Z', '2024-03-10T15:30:00.000Z'));
    expect(isoRun(nextRun(sixHours, lastRun('2024-01-01T00:00:00Z', '2024-01-01T06:00:00Z'), bounds, now))).toEqual(
      expected('2024-03-10T09:30:00.000Z', '2024-03-10T15:30:00.000Z'),
    );
    expect(isoRun(nextRun(sixHours, lastRun('2024-03-10T06:00:00Z', '2024-03-10T12:00:00Z'), bounds, now))).toEqual(
      expected('2024-03-10T12:00:00.000Z', '2024-03-10T18:00:00.000Z'),
    );
  });

  it('without catchup, a future start date wins over now', () => {
    const bounds = restriction('2024-06-01T00:00:00Z', { catchup: false });
    expect(isoRun(nextRun(deltaTimetable({ hours: 6 }), null, bounds, ms('2024-03-10T15:30:00Z')))).toEqual(
      expected('2024-06-01T00:00:00.000Z', '2024-06-01T06:00:00.000Z'),
    );
  });

  it('stops when the interval start is after the end date', () => {
    expect(walk(deltaTimetable({ hours: 12 }), restriction('2024-01-01T00:00:00Z', { end: '2024-01-01T12:00:00Z' }), NEVER, 5)).toEqual([
      expected('2024-01-01T00:00:00.000Z', '2024-01-01T12:00:00.000Z'),
      expected('2024-01-01T12:00:00.000Z', '2024-01-02T00:00:00.000Z'),
      null,
    ]);
  });

  it('a manual run covers the duration that ends when it runs', () => {
    expect(manualDataInterval(deltaTimetable({ days: 1 }), ms('2024-01-25T01:00:00Z'))).toEqual({
      start: ms('2024-01-24T01:00:00Z'),
      end: ms('2024-01-25T01:00:00Z'),
    });
  });

  it('reports an unusable zone with a coded error', () => {
    expect(() => nextRun(deltaTimetable({ days: 1 }, 'Mars/Olympus'), null, restriction('2024-01-01T00:00:00Z'), NEVER)).toThrow(
      expect.objectContaining({ code: 'DAG_INVALID_TIMEZONE' }),
    );
  });
});
