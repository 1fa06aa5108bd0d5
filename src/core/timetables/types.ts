import type { SerializedTimetable } from '../../contracts/serialized-dag.ts';

/** A half-open span of time [start, end) in epoch milliseconds (UTC). Empty when start === end. */
export interface DataInterval {
  start: number;
  end: number;
}

/** One automated run as a timetable lays it out: what it covers and when it may start. */
export interface PlannedRun {
  logicalDate: number;
  dataInterval: DataInterval;
  /** The run must not start before this instant. */
  runAfter: number;
}

/** Bounds from the DAG: earliest = start date, latest = end date (both inclusive, epoch ms). */
export interface TimeRestriction {
  earliest: number | null;
  latest: number | null;
  catchup: boolean;
}

/** Narrows the serialized timetable union to one kind. */
export type TimetableOf<K extends SerializedTimetable['kind']> = Extract<SerializedTimetable, { kind: K }>;

/** The empty interval at one instant. */
export function exactInterval(at: number): DataInterval {
  return { start: at, end: at };
}

/** A run at one instant with an empty data interval (cron triggers, @once). */
export function exactRun(at: number): PlannedRun {
  return { logicalDate: at, dataInterval: exactInterval(at), runAfter: at };
}

/** A run covering [start, end) that may start once the interval has closed. */
export function intervalRun(start: number, end: number): PlannedRun {
  return { logicalDate: start, dataInterval: { start, end }, runAfter: end };
}

/**
 * Whether the next run jumps to the present instead of continuing from the past.
 * Besides catchup=false, a timetable with neither a start date nor a previous run has no past to
 * catch up from, so it starts at the present too (Airflow would schedule nothing for data-interval
 * timetables in that case; an orchestrator that silently never runs a DAG is worse).
 */
export function skipsToLatest(restriction: TimeRestriction, last: PlannedRun | null): boolean {
  return !restriction.catchup || (restriction.earliest === null && last === null);
}

/** The largest of the known values, null when none is known. */
export function latestOf(...values: (number | null)[]): number | null {
  let result: number | null = null;
  for (const value of values) {
    if (value !== null && (result === null || value > result)) result = value;
  }
  return result;
}

/** True when a run with this logical date lies after the end date. */
export function isAfterEnd(logicalDate: number, restriction: TimeRestriction): boolean {
  return restriction.latest !== null && logicalDate > restriction.latest;
}
