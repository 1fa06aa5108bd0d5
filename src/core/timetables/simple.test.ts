import { describe, expect, it } from 'vitest';
import { toSerializedTimetable } from '../../contracts/schedule.ts';
import { expected, isoRun, lastRun, ms, restriction } from '../../../test/core/timetable-helpers.ts';
import { manualDataInterval, nextRun } from './index.ts';

const now = ms('2024-03-10T15:30:00Z');

describe('once timetable', () => {
  const once = toSerializedTimetable('@once', 'UTC');

  it('runs once at the start date, with or without catchup', () => {
    for (const catchup of [true, false]) {
      expect(isoRun(nextRun(once, null, restriction('2024-01-01T00:00:00Z', { catchup }), now))).toEqual(expected('2024-01-01T00:00:00.000Z'));
    }
  });

  it('plans nothing after the first automated run', () => {
    expect(nextRun(once, lastRun('2024-01-01T00:00:00Z'), restriction('2024-01-01T00:00:00Z'), now)).toBeNull();
  });

  it('runs now when there is no start date', () => {
    expect(isoRun(nextRun(once, null, restriction(null), now))).toEqual(expected('2024-03-10T15:30:00.000Z'));
  });

  it('plans nothing when the start date is after the end date', () => {
    expect(nextRun(once, null, restriction('2024-02-01T00:00:00Z', { end: '2024-01-01T00:00:00Z' }), now)).toBeNull();
  });

  it('gives a manual run an empty interval', () => {
    expect(manualDataInterval(once, now)).toEqual({ start: now, end: now });
  });
});

describe('none timetable', () => {
  const none = toSerializedTimetable(null, 'UTC');

  it('never plans a run', () => {
    expect(nextRun(none, null, restriction('2024-01-01T00:00:00Z'), now)).toBeNull();
    expect(nextRun(none, null, restriction(null, { catchup: false }), now)).toBeNull();
  });

  it('gives a manual run an empty interval', () => {
    expect(manualDataInterval(none, now)).toEqual({ start: now, end: now });
  });
});
