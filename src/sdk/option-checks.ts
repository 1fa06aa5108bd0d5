import { invalidOption, type OptionSite } from './option-errors.ts';

/*
 * Runtime checks of option types. TypeScript catches most mistakes, but DAG files are also
 * written in plain JavaScript or with casts, and a wrong type must fail at definition time
 * with a message naming the option, not deep inside the scheduler.
 */

function fail(site: OptionSite, name: string, expected: string, value: unknown): never {
  throw invalidOption(site, `option "${name}" must be ${expected}, got ${JSON.stringify(value) ?? typeof value}`, `Give "${name}" ${expected}`);
}

export function optionalNumber(site: OptionSite, name: string, value: unknown, rule: { integer?: boolean; min?: number } = {}): number | undefined {
  if (value === undefined) return undefined;
  const min = rule.min ?? Number.NEGATIVE_INFINITY;
  const ok = typeof value === 'number' && Number.isFinite(value) && value >= min && (!rule.integer || Number.isInteger(value));
  if (!ok) fail(site, name, `${rule.integer ? 'an integer' : 'a number'}${Number.isFinite(min) ? ` >= ${min}` : ''}`, value);
  return value;
}

export function optionalBoolean(site: OptionSite, name: string, value: unknown): boolean | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') fail(site, name, 'true or false', value);
  return value;
}

export function optionalString(site: OptionSite, name: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') fail(site, name, 'a string', value);
  return value;
}

export function optionalEnum<T extends string>(site: OptionSite, name: string, value: unknown, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) fail(site, name, `one of ${allowed.join(', ')}`, value);
  return value as T;
}

/** A list of strings; with `single`, a lone string is accepted as a list of one (like Airflow's `email`). */
export function optionalStringList(site: OptionSite, name: string, value: unknown, single = false): string[] | undefined {
  if (value === undefined) return undefined;
  const list: unknown[] = Array.isArray(value) ? value : single ? [value] : [null];
  if (!list.every((item) => typeof item === 'string')) fail(site, name, single ? 'a string or a list of strings' : 'a list of strings', value);
  return list as string[];
}

/** A function or a list of functions (Airflow accepts both for callbacks), normalised to a list. */
export function optionalFunctions<F extends (...args: never[]) => unknown>(site: OptionSite, name: string, value: unknown): F[] {
  if (value === undefined) return [];
  const list: unknown[] = Array.isArray(value) ? value : [value];
  if (!list.every((item) => typeof item === 'function')) fail(site, name, 'a function or a list of functions', value);
  return list as F[];
}
