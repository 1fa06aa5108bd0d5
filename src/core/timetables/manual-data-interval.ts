import type { SerializedTimetable } from '../../contracts/serialized-dag.ts';
import { manualCronIntervalInterval } from './cron-interval.ts';
import { manualDeltaInterval } from './delta-interval.ts';
import { exactInterval } from './types.ts';
import type { DataInterval } from './types.ts';

/** Data interval for a manual run triggered at runAfter (Airflow's infer_manual_data_interval). */
export function manualDataInterval(timetable: SerializedTimetable, runAfter: number): DataInterval {
  switch (timetable.kind) {
    // Trigger-style timetables have empty intervals: the run is about the instant it runs for.
    case 'none':
    case 'once':
    case 'cron':
      return exactInterval(runAfter);
    case 'interval_cron':
      return manualCronIntervalInterval(timetable, runAfter);
    case 'delta':
      return manualDeltaInterval(timetable, runAfter);
  }
}
