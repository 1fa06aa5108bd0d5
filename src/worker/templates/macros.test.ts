import { describe, expect, it } from 'vitest';
import { ContextDateTime, strftime } from '../../sdk/index.ts';
import { createMacros, dsAdd, dsFormat } from './macros.ts';
import { DateTime } from 'luxon';

describe('macros', () => {
  it('ds_add adds and subtracts days', () => {
    expect(dsAdd('2015-06-01', 7)).toBe('2015-06-08');
    expect(dsAdd('2015-03-01', -1)).toBe('2015-02-28');
    expect(() => dsAdd('June 1st', 1)).toThrow(expect.objectContaining({ code: 'TEMPLATE_ERROR' }));
  });

  it('ds_format converts with Python strftime codes', () => {
    expect(dsFormat('2015-01-05', '%Y-%m-%d', '%m-%d-%y')).toBe('01-05-15');
    expect(dsFormat('1/5/2015', '%m/%d/%Y', '%Y%m%d')).toBe('20150105');
    expect(dsFormat('2015-01-05', '%Y-%m-%d', '%A %d %B %Y, day %j')).toBe('Monday 05 January 2015, day 005');
    expect(() => dsFormat('2015-01-05', '%d/%m/%Y', '%Y')).toThrow(expect.objectContaining({ code: 'TEMPLATE_ERROR' }));
  });

  it('strftime covers time codes, literals and %% and rejects unknown codes', () => {
    const date = DateTime.fromISO('2024-07-04T15:06:07.250Z', { zone: 'UTC' });
    expect(strftime(date, "%H:%M:%S %I%p %a %b %y %z 100%% 'quoted'")).toBe("15:06:07 03PM Thu Jul 24 +0000 100% 'quoted'");
    expect(() => strftime(date, '%Q')).toThrow(expect.objectContaining({ code: 'TEMPLATE_ERROR', message: expect.stringContaining('%Q') }));
  });

  it('keeps user macros and provides datetime helpers', () => {
    const macros = createMacros({ shout: (text: string) => text.toUpperCase() });
    expect((macros['shout'] as (t: string) => string)('hi')).toBe('HI');
    expect(macros.datetime.fromisoformat('2020-01-01T00:00:00Z').toString()).toBe('2020-01-01T00:00:00+00:00');
    expect(macros.datetime.strptime('01/02/2020', '%d/%m/%Y').toString()).toBe('2020-02-01T00:00:00+00:00');
    expect(macros.json.loads(macros.json.dumps({ a: [1] }))).toEqual({ a: [1] });
    expect(macros.uuid4()).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('ContextDateTime', () => {
  const date = ContextDateTime.fromISO('2015-06-01T00:00:00Z');

  it('prints like Airflow in strings and templates, compares as a number', () => {
    expect(String(date)).toBe('2015-06-01T00:00:00+00:00');
    expect(`${date}`).toBe('2015-06-01T00:00:00+00:00');
    expect(JSON.stringify({ date })).toBe('{"date":"2015-06-01T00:00:00+00:00"}');
    expect(ContextDateTime.fromISO('2015-06-01T00:00:00.5Z').isoformat()).toBe('2015-06-01T00:00:00.500000+00:00');
    expect(+date).toBe(Date.UTC(2015, 5, 1));
  });

  it('does calendar arithmetic and formatting', () => {
    expect(date.add({ days: 7 }).strftime('%Y-%m-%d')).toBe('2015-06-08');
    expect(date.subtract({ months: 1 }).format('yyyy-LL')).toBe('2015-05');
    expect(date.inTimezone('America/New_York').toString()).toBe('2015-05-31T20:00:00-04:00');
    expect([date.year, date.month, date.day, date.timestamp()]).toEqual([2015, 6, 1, Date.UTC(2015, 5, 1) / 1000]);
  });
});
