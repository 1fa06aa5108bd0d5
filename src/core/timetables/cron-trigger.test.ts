import { describe, expect, it } from 'vitest';
import { toSerializedTimetable } from '../../contracts/schedule.ts';
import { cronTimetable, expected, isoRun, lastRun, ms, restriction, walk } from '../../../test/core/timetable-helpers.ts';
import { manualDataInterval, nextRun } from './index.ts';

const NEVER = ms('2000-01-01T00:00:00Z'); // `now` for catchup walks: it must not matter

describe('cron trigger timetable: presets (catchup on, from 2024-01-01, a Monday)', () => {
  const cases: [string, string[]][] = [
    ['@hourly', ['2024-01-01T00:00:00.000Z', '2024-01-01T01:00:00.000Z', '2024-01-01T02:00:00.000Z']],
    ['@daily', ['2024-01-01T00:00:00.000Z', '2024-01-02T00:00:00.000Z', '2024-01-03T00:00:00.000Z']],
    ['@midnight', ['2024-01-01T00:00:00.000Z', '2024-01-02T00:00:00.000Z', '2024-01-03T00:00:00.000Z']],
    ['@weekly', ['2024-01-07T00:00:00.000Z', '2024-01-14T00:00:00.000Z', '2024-01-21T00:00:00.000Z']],
    ['@monthly', ['2024-01-01T00:00:00.000Z', '2024-02-01T00:00:00.000Z', '2024-03-01T00:00:00.000Z']],
    ['@quarterly', ['2024-01-01T00:00:00.000Z', '2024-04-01T00:00:00.000Z', '2024-07-01T00:00:00.000Z']],
    ['@yearly', ['2024-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z']],
    ['@annually', ['2024-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z']],
  ];
  it.each(cases)('%s runs at each tick with an empty interval', (preset, ticks) => {
    const timetable = toSerializedTimetable(preset, 'UTC');
    expect(timetable.kind).toBe('cron');
    expect(walk(timetable, restriction('2024-01-01T00:00:00Z'), NEVER, 3)).toEqual(ticks.map((tick) => expected(tick)));
  });
});

describe('cron trigger timetable: start, catchup and end', () => {
  const daily = cronTimetable('0 0 * * *');
  const now = ms('2024-03-10T15:30:00Z');

  it('aligns a start date between ticks forward', () => {
    expect(walk(daily, restriction('2024-01-01T10:00:00Z'), now, 2)).toEqual([
      expected('2024-01-02T00:00:00.000Z'),
      expected('2024-01-03T00:00:00.000Z'),
    ]);
  });

  it('with catchup, continues from the last run however old it is', () => {
    const run = nextRun(daily, lastRun('2024-01-05T00:00:00Z'), restriction('2024-01-01T00:00:00Z'), now);
    expect(isoRun(run)).toEqual(expected('2024-01-06T00:00:00.000Z'));
  });

  it('without catchup, the first run is the newest tick at or before now (it runs at once)', () => {
    const bounds = restriction('2024-01-01T00:00:00Z', { catchup: false });
    expect(walk(daily, bounds, now, 2)).toEqual([expected('2024-03-10T00:00:00.000Z'), expected('2024-03-11T00:00:00.000Z')]);
    expect(isoRun(nextRun(daily, null, bounds, ms('2024-03-10T00:00:00Z')))).toEqual(expected('2024-03-10T00:00:00.000Z'));
  });

  it('without catchup, skips an old last run to the newest tick but keeps a newer one', () => {
    const bounds = restriction('2024-01-01T00:00:00Z', { catchup: false });
    expect(isoRun(nextRun(daily, lastRun('2024-03-01T00:00:00Z'), bounds, now))).toEqual(expected('2024-03-10T00:00:00.000Z'));
    expect(isoRun(nextRun(daily, lastRun('2024-03-10T00:00:00Z'), bounds, now))).toEqual(expected('2024-03-11T00:00:00.000Z'));
  });

  it('without catchup, a future start date wins over now', () => {
    const bounds = restriction('2024-06-01T12:00:00Z', { catchup: false });
    expect(isoRun(nextRun(daily, null, bounds, now))).toEqual(expected('2024-06-02T00:00:00.000Z'));
  });

  it('without a start date or a last run, starts at the newest tick even with catchup', () => {
    expect(isoRun(nextRun(daily, null, restriction(null), now))).toEqual(expected('2024-03-10T00:00:00.000Z'));
  });

  it('plans no run whose logical date is after the end date (an end on a tick is inclusive)', () => {
    expect(walk(daily, restriction('2024-01-01T00:00:00Z', { end: '2024-01-03T00:00:00Z' }), NEVER, 5)).toEqual([
      expected('2024-01-01T00:00:00.000Z'),
      expected('2024-01-02T00:00:00.000Z'),
      expected('2024-01-03T00:00:00.000Z'),
      null,
    ]);
    expect(walk(daily, restriction('2024-01-01T00:00:00Z', { end: '2024-01-02T12:00:00Z' }), NEVER, 5)).toHaveLength(3);
  });

  it('plans nothing when the end date has passed, even without catchup', () => {
    const bounds = restriction('2024-01-01T00:00:00Z', { end: '2024-02-01T00:00:00Z', catchup: false });
    expect(nextRun(daily, null, bounds, now)).toBeNull();
  });

  it('gives a manual run an empty interval at its instant', () => {
    expect(manualDataInterval(daily, ms('2024-01-25T01:00:00Z'))).toEqual({ start: ms('2024-01-25T01:00:00Z'), end: ms('2024-01-25T01:00:00Z') });
  });
});

describe('cron trigger timetable across DST', () => {
  it('Europe/Berlin spring forward: 02:30 does not exist on 2024-03-31 and runs at 03:00 CEST instead', () => {
    const timetable = cronTimetable('30 2 * * *', 'Europe/Berlin');
    expect(walk(timetable, restriction('2024-03-29T00:00:00Z'), NEVER, 4)).toEqual([
      expected('2024-03-29T01:30:00.000Z'), // 02:30 CET
      expected('2024-03-30T01:30:00.000Z'), // 02:30 CET
      expected('2024-03-31T01:00:00.000Z'), // 03:00 CEST, first instant after the gap
      expected('2024-04-01T00:30:00.000Z'), // 02:30 CEST
    ]);
  });

  it('Europe/Berlin fall back: 02:30 happens twice on 2024-10-27 and runs once, at the first (CEST)', () => {
    const timetable = cronTimetable('30 2 * * *', 'Europe/Berlin');
    expect(walk(timetable, restriction('2024-10-26T00:00:00Z'), NEVER, 3)).toEqual([
      expected('2024-10-26T00:30:00.000Z'), // 02:30 CEST
      expected('2024-10-27T00:30:00.000Z'), // 02:30 CEST; 01:30Z (02:30 CET) is not a run
      expected('2024-10-28T01:30:00.000Z'), // 02:30 CET
    ]);
  });

  it('Europe/Berlin hourly follows the real clock: skips the missing hour, runs the repeated one twice', () => {
    const hourly = cronTimetable('0 * * * *', 'Europe/Berlin');
    expect(walk(hourly, restriction('2024-03-30T23:30:00Z'), NEVER, 3)).toEqual([
      expected('2024-03-31T00:00:00.000Z'), // 01:00 CET
      expected('2024-03-31T01:00:00.000Z'), // 03:00 CEST
      expected('2024-03-31T02:00:00.000Z'), // 04:00 CEST
    ]);
    expect(walk(hourly, restriction('2024-10-26T23:30:00Z'), NEVER, 3)).toEqual([
      expected('2024-10-27T00:00:00.000Z'), // 02:00 CEST
      expected('2024-10-27T01:00:00.000Z'), // 02:00 CET
      expected('2024-10-27T02:00:00.000Z'), // 03:00 CET
    ]);
  });

  it('America/New_York spring forward: 02:30 on 2024-03-10 runs at 03:00 EDT', () => {
    const timetable = cronTimetable('30 2 * * *', 'America/New_York');
    expect(walk(timetable, restriction('2024-03-09T00:00:00Z'), NEVER, 3)).toEqual([
      expected('2024-03-09T07:30:00.000Z'), // 02:30 EST
      expected('2024-03-10T07:00:00.000Z'), // 03:00 EDT
      expected('2024-03-11T06:30:00.000Z'), // 02:30 EDT
    ]);
  });

  it('America/New_York fall back: 01:30 on 2024-11-03 runs once, at the first (EDT)', () => {
    const timetable = cronTimetable('30 1 * * *', 'America/New_York');
    expect(walk(timetable, restriction('2024-11-02T00:00:00Z'), NEVER, 3)).toEqual([
      expected('2024-11-02T05:30:00.000Z'), // 01:30 EDT
      expected('2024-11-03T05:30:00.000Z'), // 01:30 EDT; 06:30Z (01:30 EST) is not a run
      expected('2024-11-04T06:30:00.000Z'), // 01:30 EST
    ]);
  });

  it('America/New_York @daily stays at local midnight across both transitions', () => {
    const daily = toSerializedTimetable('@daily', 'America/New_York');
    expect(walk(daily, restriction('2024-03-09T00:00:00Z'), NEVER, 3)).toEqual([
      expected('2024-03-09T05:00:00.000Z'),
      expected('2024-03-10T05:00:00.000Z'),
      expected('2024-03-11T04:00:00.000Z'),
    ]);
    expect(walk(daily, restriction('2024-11-02T00:00:00Z'), NEVER, 3)).toEqual([
      expected('2024-11-02T04:00:00.000Z'),
      expected('2024-11-03T04:00:00.000Z'),
      expected('2024-11-04T05:00:00.000Z'),
    ]);
  });
});
