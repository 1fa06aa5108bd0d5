import { describe, expect, it } from 'vitest';
import { toSerializedTimetable } from '../../contracts/schedule.ts';
import { expected, intervalCronTimetable, isoRun, lastRun, ms, restriction, walk } from '../../../test/core/timetable-helpers.ts';
import { manualDataInterval, nextRun } from './index.ts';

const NEVER = ms('2000-01-01T00:00:00Z');
const daily = intervalCronTimetable('0 0 * * *');

describe('interval cron timetable', () => {
  it('is what { intervalCron } schedules serialize to', () => {
    expect(toSerializedTimetable({ intervalCron: '@daily' }, 'UTC')).toMatchObject({ kind: 'interval_cron', expression: '0 0 * * *' });
  });

  it('covers [tick, next tick) and runs once the interval has closed', () => {
    expect(walk(daily, restriction('2024-01-01T00:00:00Z'), NEVER, 2)).toEqual([
      expected('2024-01-01T00:00:00.000Z', '2024-01-02T00:00:00.000Z'),
      expected('2024-01-02T00:00:00.000Z', '2024-01-03T00:00:00.000Z'),
    ]);
  });

  it('aligns a start date between ticks forward to the next tick', () => {
    expect(walk(daily, restriction('2024-01-01T10:00:00Z'), NEVER, 1)).toEqual([
      expected('2024-01-02T00:00:00.000Z', '2024-01-03T00:00:00.000Z'),
    ]);
  });

  it('realigns a last run from an older schedule to the current cron', () => {
    const run = nextRun(daily, lastRun('2024-01-04T12:00:00Z', '2024-01-05T12:00:00Z'), restriction('2024-01-01T00:00:00Z'), NEVER);
    expect(isoRun(run)).toEqual(expected('2024-01-05T00:00:00.000Z', '2024-01-06T00:00:00.000Z'));
  });

  it('without catchup, runs the latest closed interval (between ticks and exactly on one)', () => {
    const bounds = restriction('2024-01-01T00:00:00Z', { catchup: false });
    const latestClosed = expected('2024-03-09T00:00:00.000Z', '2024-03-10T00:00:00.000Z');
    expect(isoRun(nextRun(daily, null, bounds, ms('2024-03-10T15:30:00Z')))).toEqual(latestClosed);
    expect(isoRun(nextRun(daily, null, bounds, ms('2024-03-10T00:00:00Z')))).toEqual(latestClosed);
    expect(isoRun(nextRun(daily, lastRun('2024-02-01T00:00:00Z', '2024-02-02T00:00:00Z'), bounds, ms('2024-03-10T15:30:00Z')))).toEqual(latestClosed);
  });

  it('without catchup, continues after a last run that is newer than the latest closed interval', () => {
    const bounds = restriction('2024-01-01T00:00:00Z', { catchup: false });
    const run = nextRun(daily, lastRun('2024-03-09T00:00:00Z', '2024-03-10T00:00:00Z'), bounds, ms('2024-03-10T15:30:00Z'));
    expect(isoRun(run)).toEqual(expected('2024-03-10T00:00:00.000Z', '2024-03-11T00:00:00.000Z'));
  });

  it('stops at the end date (interval start after the end date)', () => {
    expect(walk(daily, restriction('2024-01-01T00:00:00Z', { end: '2024-01-02T00:00:00Z' }), NEVER, 5)).toEqual([
      expected('2024-01-01T00:00:00.000Z', '2024-01-02T00:00:00.000Z'),
      expected('2024-01-02T00:00:00.000Z', '2024-01-03T00:00:00.000Z'),
      null,
    ]);
  });

  it('a daily interval in Europe/Berlin lasts 23 hours on the spring-forward day and 25 in autumn', () => {
    const berlin = intervalCronTimetable('0 0 * * *', 'Europe/Berlin');
    expect(walk(berlin, restriction('2024-03-30T23:00:00Z'), NEVER, 1)).toEqual([
      expected('2024-03-30T23:00:00.000Z', '2024-03-31T22:00:00.000Z'),
    ]);
    expect(walk(berlin, restriction('2024-10-26T22:00:00Z'), NEVER, 1)).toEqual([
      expected('2024-10-26T22:00:00.000Z', '2024-10-27T23:00:00.000Z'),
    ]);
  });

  it('a manual run covers the last complete interval before it', () => {
    expect(manualDataInterval(daily, ms('2024-01-25T01:00:00Z'))).toEqual({ start: ms('2024-01-24T00:00:00Z'), end: ms('2024-01-25T00:00:00Z') });
    expect(manualDataInterval(daily, ms('2024-01-25T00:00:00Z'))).toEqual({ start: ms('2024-01-24T00:00:00Z'), end: ms('2024-01-25T00:00:00Z') });
  });
});
