import type { SerializedTimetable } from '../../contracts/serialized-dag.ts';
import { nextRun } from './next-run.ts';
import type { PlannedRun, TimeRestriction } from './types.ts';

/**
 * All automated runs whose logical date lies in [from, to] and within the restriction, for a
 * backfill. Catchup is ignored: a backfill exists to create past runs.
 */
export function runsBetween(timetable: SerializedTimetable, restriction: TimeRestriction, from: number, to: number): PlannedRun[] {
  const earliest = backfillEarliest(timetable, restriction, from);
  if (earliest === null) return [];
  const latest = restriction.latest === null ? to : Math.min(restriction.latest, to);
  const bounds: TimeRestriction = { earliest, latest, catchup: true };
  const runs: PlannedRun[] = [];
  let last: PlannedRun | null = null;
  // With catchup and a known earliest, no timetable reads `now`; `to` only fills the argument.
  for (let run = nextRun(timetable, null, bounds, to); run !== null; run = nextRun(timetable, last, bounds, to)) {
    if (last !== null && run.logicalDate <= last.logicalDate) break; // a timetable that stops advancing
    if (run.logicalDate >= from) runs.push(run);
    last = run;
  }
  return runs;
}

/** Where to start walking the timetable so that every run in range is met. */
function backfillEarliest(timetable: SerializedTimetable, restriction: TimeRestriction, from: number): number | null {
  switch (timetable.kind) {
    case 'none':
      return null;
    // A cron grid does not depend on the start date, so the walk can begin at `from`.
    case 'cron':
    case 'interval_cron':
      return Math.max(from, restriction.earliest ?? from);
    // Delta intervals are laid end to end from the start date: begin there and drop runs before `from`.
    case 'delta':
      return restriction.earliest ?? from;
    // The single run happens at the start date; without one there is no past run to create.
    case 'once':
      return restriction.earliest;
  }
}
