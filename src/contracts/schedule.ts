import { Cron } from 'croner';
import { IANAZone } from 'luxon';
import { UpdraftError } from './errors.ts';
import type { DurationSpec, SerializedTimetable } from './serialized-dag.ts';

/** Airflow's presets and the cron expressions they stand for. */
export const SCHEDULE_PRESETS: Readonly<Record<string, string>> = {
  '@hourly': '0 * * * *',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@weekly': '0 0 * * 0',
  '@monthly': '0 0 1 * *',
  '@quarterly': '0 0 1 */3 *',
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
};

/** Airflow 2 style: a run per cron interval, started once the interval has closed. */
export interface IntervalCronSchedule {
  intervalCron: string;
}

/**
 * What a DAG author may write as `schedule`: null (manual only), '@once', a preset, a cron
 * expression, a duration object (`{ days: 1 }`) or `{ intervalCron: '0 0 * * *' }`.
 */
export type ScheduleSpec = null | string | DurationSpec | IntervalCronSchedule;

const DURATION_UNITS = ['years', 'months', 'weeks', 'days', 'hours', 'minutes', 'seconds'] as const;

/** Validates a schedule and turns it into its serialized timetable. Throws coded errors. */
export function toSerializedTimetable(schedule: ScheduleSpec | undefined, timezone: string): SerializedTimetable {
  assertTimezone(timezone);
  if (schedule === null || schedule === undefined) return { kind: 'none', summary: 'None' };
  if (typeof schedule === 'string') return fromString(schedule.trim(), timezone);
  if (typeof schedule === 'object' && 'intervalCron' in schedule) {
    const expression = assertCron(SCHEDULE_PRESETS[schedule.intervalCron] ?? schedule.intervalCron);
    return { kind: 'interval_cron', expression, timezone, summary: `interval ${schedule.intervalCron}` };
  }
  if (typeof schedule === 'object') {
    const duration = assertDuration(schedule);
    return { kind: 'delta', duration, timezone, summary: describeDuration(duration) };
  }
  throw invalidSchedule(schedule);
}

export function assertTimezone(timezone: string): void {
  if (!IANAZone.isValidZone(timezone)) {
    throw new UpdraftError('DAG_INVALID_TIMEZONE', `Unknown timezone "${timezone}"`, {
      hint: 'Use an IANA zone name such as "UTC", "Europe/Berlin" or "America/New_York"',
      details: { timezone },
    });
  }
}

function fromString(schedule: string, timezone: string): SerializedTimetable {
  if (schedule === '@once') return { kind: 'once', summary: '@once' };
  const preset = SCHEDULE_PRESETS[schedule];
  if (preset !== undefined) return { kind: 'cron', expression: preset, timezone, summary: schedule };
  if (schedule.startsWith('@')) throw invalidSchedule(schedule);
  return { kind: 'cron', expression: assertCron(schedule), timezone, summary: schedule };
}

function assertCron(expression: string): string {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) {
    throw invalidSchedule(expression, `a cron expression has 5 fields (minute hour day month weekday), got ${fields.length}`);
  }
  try {
    // Validation only: a paused Cron never schedules anything.
    new Cron(expression, { paused: true });
  } catch (error) {
    throw invalidSchedule(expression, (error as Error).message);
  }
  return fields.join(' ');
}

function assertDuration(value: object): DurationSpec {
  const entries = Object.entries(value);
  const unknown = entries.filter(([unit]) => !(DURATION_UNITS as readonly string[]).includes(unit));
  const invalid = entries.filter(([, amount]) => typeof amount !== 'number' || !Number.isFinite(amount) || amount < 0);
  const total = entries.reduce((sum, [, amount]) => sum + (typeof amount === 'number' ? amount : 0), 0);
  if (entries.length === 0 || unknown.length > 0 || invalid.length > 0 || total <= 0) {
    throw invalidSchedule(value, `a duration uses ${DURATION_UNITS.join('/')} with positive numbers`);
  }
  return Object.fromEntries(DURATION_UNITS.filter((unit) => unit in value).map((unit) => [unit, (value as DurationSpec)[unit]]));
}

function describeDuration(duration: DurationSpec): string {
  return `every ${DURATION_UNITS.filter((unit) => duration[unit]).map((unit) => `${duration[unit]} ${unit}`).join(' ')}`;
}

function invalidSchedule(schedule: unknown, reason?: string): UpdraftError {
  return new UpdraftError('DAG_INVALID_SCHEDULE', `Invalid schedule ${JSON.stringify(schedule)}${reason ? `: ${reason}` : ''}`, {
    hint: 'Use null, "@once", a preset like "@daily", a 5-field cron like "30 6 * * 1-5", a duration like { hours: 6 } or { intervalCron: "0 0 * * *" }',
    details: { schedule },
  });
}
