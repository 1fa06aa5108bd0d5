import { UpdraftError } from '../contracts/errors.ts';
import type { JsonObject } from '../contracts/json.ts';
import { restrictionFor, runsBetween } from '../core/index.ts';
import { getLatestSerializedDag, listDagRuns, type Store } from '../store/index.ts';
import { clearTasks } from './clear-tasks.ts';
import { triggerDagRun } from './trigger-dag-run.ts';

/** What to do with a logical date that already has a run (Airflow 3's `--reprocess-behavior`). */
export const REPROCESS_BEHAVIOURS = ['none', 'failed', 'all'] as const;
export type ReprocessBehaviour = (typeof REPROCESS_BEHAVIOURS)[number];

export interface BackfillOptions {
  dagId: string;
  from: number;
  to: number;
  reprocess: ReprocessBehaviour;
  conf?: JsonObject;
  dryRun?: boolean;
  now: number;
}

export interface BackfillPlan {
  created: string[];
  reprocessed: string[];
  skipped: string[];
}

/**
 * Creates the runs of a backfill: every logical date the DAG's timetable has in [from, to] (start and
 * end dates apply, catchup does not). Dates that already have a run are left alone, or cleared for
 * the scheduler to run again when they failed (`failed`) or in any case (`all`). The scheduler runs
 * backfill runs like any other, within maxActiveRuns.
 */
export async function createBackfill(store: Store, options: BackfillOptions): Promise<BackfillPlan> {
  if (!(REPROCESS_BEHAVIOURS as readonly string[]).includes(options.reprocess)) {
    throw new UpdraftError('INVALID_ARGUMENT', `Unknown reprocess behaviour "${options.reprocess}"`, { hint: `Use one of ${REPROCESS_BEHAVIOURS.join(', ')}` });
  }
  if (options.to < options.from) {
    throw new UpdraftError('INVALID_ARGUMENT', 'The backfill ends before it starts', { hint: 'Give --from before --to' });
  }
  const latest = await getLatestSerializedDag(store.db, options.dagId);
  if (latest === null) throw new UpdraftError('DAG_NOT_FOUND', `No DAG "${options.dagId}"`, { hint: 'Check the id with `updraft dags list`' });
  if (latest.dag.timetable.kind === 'none') {
    throw new UpdraftError('INVALID_ARGUMENT', `DAG "${options.dagId}" has no schedule, so it has no dates to backfill`, { hint: 'Trigger runs by hand with `updraft dags trigger`' });
  }
  const planned = runsBetween(latest.dag.timetable, restrictionFor(latest.dag), options.from, options.to);
  const { runs: existing } = await listDagRuns(store.db, { dagId: options.dagId, logicalDateFrom: options.from, logicalDateTo: options.to, limit: 100_000, offset: 0 });
  const byLogicalDate = new Map(existing.map((run) => [run.logicalDate, run]));
  const plan: BackfillPlan = { created: [], reprocessed: [], skipped: [] };
  for (const run of planned) {
    const current = byLogicalDate.get(run.logicalDate);
    if (current === undefined) {
      const runId = `backfill__${new Date(run.logicalDate).toISOString()}`;
      if (options.dryRun !== true) {
        await triggerDagRun(store, {
          dagId: options.dagId,
          runId,
          runType: 'backfill',
          logicalDate: run.logicalDate,
          dataInterval: run.dataInterval,
          conf: options.conf ?? {},
          triggeredBy: 'backfill',
          now: options.now,
        });
      }
      plan.created.push(runId);
      continue;
    }
    const rerun = options.reprocess === 'all' ? current.state !== 'running' && current.state !== 'queued' : options.reprocess === 'failed' && current.state === 'failed';
    if (!rerun) {
      plan.skipped.push(current.runId);
      continue;
    }
    const cleared = await clearTasks(store, { dagId: options.dagId, runId: current.runId, onlyFailed: options.reprocess === 'failed', dryRun: options.dryRun ?? false, now: options.now });
    // A run that failed without a failed task (a run timeout skips the rest) has nothing to clear
    // under `failed`: it stays as it is, and is reported so.
    if (cleared.runs.some((run) => run.taskInstances.length > 0)) plan.reprocessed.push(current.runId);
    else plan.skipped.push(current.runId);
  }
  return plan;
}
