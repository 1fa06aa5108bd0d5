import { nextRun } from '../../src/core/timetables/index.ts';
import type { PlannedRun, TimeRestriction } from '../../src/core/timetables/index.ts';
import type { DurationSpec, SerializedTimetable } from '../../src/contracts/serialized-dag.ts';

/** Epoch milliseconds of an ISO instant; throws on typos so a test cannot silently compare NaN. */
export function ms(isoInstant: string): number {
  const instant = Date.parse(isoInstant);
  if (Number.isNaN(instant)) throw new Error(`bad ISO instant in test: ${isoInstant}`);
  return instant;
}

export function iso(instant: number): string {
  return new Date(instant).toISOString();
}

export function cronTimetable(expression: string, timezone = 'UTC'): SerializedTimetable {
  return { kind: 'cron', expression, timezone, summary: expression };
}

export function intervalCronTimetable(expression: string, timezone = 'UTC'): SerializedTimetable {
  return { kind: 'interval_cron', expression, timezone, summary: expression };
}

export function deltaTimetable(duration: DurationSpec, timezone = 'UTC'): SerializedTimetable {
  return { kind: 'delta', duration, timezone, summary: JSON.stringify(duration) };
}

export function restriction(start: string | null, options: { end?: string; catchup?: boolean } = {}): TimeRestriction {
  return {
    earliest: start === null ? null : ms(start),
    latest: options.end === undefined ? null : ms(options.end),
    catchup: options.catchup ?? true,
  };
}

/** A planned run as ISO strings, so failures read as dates. */
export interface IsoRun {
  logical: string;
  start: string;
  end: string;
  runAfter: string;
}

export function isoRun(run: PlannedRun | null): IsoRun | null {
  if (run === null) return null;
  return {
    logical: iso(run.logicalDate),
    start: iso(run.dataInterval.start),
    end: iso(run.dataInterval.end),
    runAfter: iso(run.runAfter),
  };
}

/** A run the way a test writes it down: logical date, interval end and runAfter. */
export function expected(start: string, end: string = start, runAfter: string = end): IsoRun {
  return { logical: start, start, end, runAfter };
}

/** Asks for `count` runs in a row, each after the previous one, as the scheduler would. */
export function walk(timetable: SerializedTimetable, bounds: TimeRestriction, now: number, count: number): (IsoRun | null)[] {
  const runs: (IsoRun | null)[] = [];
  let last: PlannedRun | null = null;
  for (let i = 0; i < count; i++) {
    const run = nextRun(timetable, last, bounds, now);
    runs.push(isoRun(run));
    if (run === null) break;
    last = run;
  }
  return runs;
}

/** A previous run with the given data interval, as the store would hand it back. */
export function lastRun(start: string, end: string = start): PlannedRun {
  return { logicalDate: ms(start), dataInterval: { start: ms(start), end: ms(end) }, runAfter: ms(end) };
}
