import { Duration } from 'luxon';
import type { DurationSpec } from '../contracts/serialized-dag.ts';
import { invalidOption, type OptionSite } from './option-errors.ts';

/** A length of time in an option: a Luxon-style object (`{ minutes: 5 }`) or a number of seconds. */
export type DurationInput = DurationSpec | number;

const UNITS = ['years', 'months', 'weeks', 'days', 'hours', 'minutes', 'seconds'] as const;

/**
 * Converts a duration option to seconds. Calendar units use Luxon's casual conversion
 * (a month is 30 days), which is what a timeout or retry delay means in practice.
 */
export function durationToSeconds(value: unknown, option: string, site: OptionSite): number {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const entries = Object.entries(value);
    const valid =
      entries.length > 0 &&
      entries.every(([unit, amount]) => (UNITS as readonly string[]).includes(unit) && typeof amount === 'number' && Number.isFinite(amount) && amount >= 0);
    if (valid) return Duration.fromObject(value as DurationSpec).as('seconds');
  }
  throw invalidOption(
    site,
    `option "${option}" must be a duration, got ${JSON.stringify(value)}`,
    `Write a number of seconds or an object like { minutes: 5 } using ${UNITS.join('/')}`,
  );
}
