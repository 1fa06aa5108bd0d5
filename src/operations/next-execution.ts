import { UpdraftError } from '../contracts/errors.ts';
import { nextRun, restrictionFor, type PlannedRun } from '../core/index.ts';
import { getLatestSerializedDag, listDagRuns, type Store } from '../store/index.ts';

/**
 * The next automated run of a DAG after its latest scheduled or backfill run, as the scheduler will
 * create it (`updraft dags next-execution`). Null when the timetable has no more runs.
 */
export async function nextExecution(store: Store, dagId: string, now: number): Promise<PlannedRun | null> {
  const latest = await getLatestSerializedDag(store.db, dagId);
  if (latest === null) throw new UpdraftError('DAG_NOT_FOUND', `No DAG "${dagId}"`, { hint: 'Check the id with `updraft dags list`' });
  const { runs } = await listDagRuns(store.db, { dagId, runTypes: ['scheduled', 'backfill'], limit: 1, offset: 0 });
  const last = runs[0];
  const lastPlanned: PlannedRun | null =
    last === undefined || last.logicalDate === null
      ? null
      : { logicalDate: last.logicalDate, dataInterval: { start: last.dataIntervalStart ?? last.logicalDate, end: last.dataIntervalEnd ?? last.logicalDate }, runAfter: last.runAfter };
  return nextRun(latest.dag.timetable, lastPlanned, restrictionFor(latest.dag), now);
}
