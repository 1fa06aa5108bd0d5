import { DateTime, type DurationLikeObject } from 'luxon';
import { strftime } from './strftime.ts';

/**
 * A date in the task context (`logical_date`, `data_interval_start`...). It wraps a Luxon
 * DateTime and prints like Airflow's pendulum dates (`2015-06-01T00:00:00+00:00`), both in
 * templates and in string concatenation, while `luxon` gives full calendar arithmetic in code.
 */
export class ContextDateTime {
  #value: DateTime | (() => DateTime);

  /** A date, or how to make it: a task's context holds a dozen dates and most tasks read none of them. */
  constructor(value: DateTime | (() => DateTime)) {
    this.#value = value;
  }

  static fromISO(iso: string, zone = 'UTC'): ContextDateTime {
    return new ContextDateTime(() => DateTime.fromISO(iso, { zone: 'UTC' }).setZone(zone));
  }

  get luxon(): DateTime {
    if (typeof this.#value === 'function') this.#value = this.#value();
    return this.#value;
  }

  /** Airflow's `isoformat()`: seconds precision unless there are fractions, `+00:00` offsets. */
  isoformat(): string {
    const format = this.luxon.millisecond === 0 ? "yyyy-MM-dd'T'HH:mm:ssZZ" : "yyyy-MM-dd'T'HH:mm:ss.SSS'000'ZZ";
    return this.luxon.toFormat(format);
  }

  toString(): string {
    return this.isoformat();
  }

  toJSON(): string {
    return this.isoformat();
  }

  /** Strings where a string is expected (templates, `+`), milliseconds in arithmetic and comparisons. */
  [Symbol.toPrimitive](hint: string): string | number {
    return hint === 'number' ? this.luxon.toMillis() : this.isoformat();
  }

  /** Python strftime codes: `{{ logical_date.strftime('%Y/%m/%d') }}`. */
  strftime(format: string): string {
    return strftime(this.luxon, format);
  }

  /** Luxon format tokens: `{{ logical_date.format('yyyy-LL-dd') }}`. */
  format(luxonFormat: string): string {
    return this.luxon.toFormat(luxonFormat);
  }

  add(duration: DurationLikeObject): ContextDateTime {
    return new ContextDateTime(this.luxon.plus(duration));
  }

  subtract(duration: DurationLikeObject): ContextDateTime {
    return new ContextDateTime(this.luxon.minus(duration));
  }

  inTimezone(zone: string): ContextDateTime {
    return new ContextDateTime(this.luxon.setZone(zone));
  }

  toDate(): Date {
    return this.luxon.toJSDate();
  }

  /** Seconds since the epoch, like Python's `timestamp()`. */
  timestamp(): number {
    return this.luxon.toMillis() / 1000;
  }

  get year(): number {
    return this.luxon.year;
  }
  get month(): number {
    return this.luxon.month;
  }
  get day(): number {
    return this.luxon.day;
  }
  get hour(): number {
    return this.luxon.hour;
  }
  get minute(): number {
    return this.luxon.minute;
  }
  get second(): number {
    return this.luxon.second;
  }
}
