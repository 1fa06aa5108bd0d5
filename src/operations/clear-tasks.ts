import { UpdraftError } from '../contracts/errors.ts';
import {
  clearTaskInstances,
  getDagRun,
  getSerializedDagVersion,
  listDagRuns,
  listTaskInstances,
  requeueDagRun,
  runTransaction,
  type DagRun,
  type Store,
} from '../store/index.ts';
import { selectTasks, type TaskSelection } from './select-tasks.ts';

export interface ClearOptions extends TaskSelection {
  dagId: string;
  /** One run; otherwise every run whose logical date is within [start, end]. */
  runId?: string;
  start?: number;
  end?: number;
  /** Only task instances that failed (failed, upstream_failed). */
  onlyFailed?: boolean;
  /** Compute what would be cleared without changing anything (the UI's preview, `--dry-run`). */
  dryRun?: boolean;
  now: number;
}

export interface ClearPlan {
  runs: { runId: string; taskInstances: { taskId: string; mapIndex: number; state: string }[] }[];
}

const FAILED_STATES = new Set(['failed', 'upstream_failed']);
const MAX_RUNS = 10_000;

/**
 * Clears task instances so the scheduler runs them again, as `airflow tasks clear`: select runs by
 * id or logical-date range, tasks by regex/ids plus upstream/downstream relatives (from each run's own
 * DAG version), then reset them and requeue their runs. Each run is cleared in its own transaction.
 */
export async function clearTasks(store: Store, options: ClearOptions): Promise<ClearPlan> {
  const plan: ClearPlan = { runs: [] };
  for (const run of await selectRuns(store, options)) {
    const version = await getSerializedDagVersion(store.db, run.dagId, run.dagVersionHash);
    if (version === null) continue; // a run whose DAG version is gone cannot be re-run
    const taskIds = new Set(selectTasks(version.dag, options));
    const instances = (await listTaskInstances(store.db, run)).filter(
      (ti) => taskIds.has(ti.taskId) && ti.state !== 'none' && (options.onlyFailed !== true || FAILED_STATES.has(ti.state)),
    );
    if (instances.length === 0) continue;
    plan.runs.push({ runId: run.runId, taskInstances: instances.map((ti) => ({ taskId: ti.taskId, mapIndex: ti.mapIndex, state: ti.state })) });
    if (options.dryRun === true) continue;
    const retries = new Map(version.dag.tasks.map((task) => [task.taskId, task.retries]));
    await runTransaction(store.db, async (trx) => {
      await clearTaskInstances(trx, run, instances.map((ti) => ({ taskId: ti.taskId, retries: retries.get(ti.taskId) ?? 0 })));
      await requeueDagRun(trx, run, options.now);
    });
  }
  return plan;
}

async function selectRuns(store: Store, options: ClearOptions): Promise<DagRun[]> {
  if (options.runId !== undefined) {
    const run = await getDagRun(store.db, { dagId: options.dagId, runId: options.runId });
    if (run === null) throw new UpdraftError('DAG_RUN_NOT_FOUND', `No run "${options.runId}" of DAG "${options.dagId}"`, { hint: 'List runs with `updraft dags list-runs <dag>`' });
    return [run];
  }
  const { runs } = await listDagRuns(store.db, {
    dagId: options.dagId,
    ...(options.start === undefined ? {} : { logicalDateFrom: options.start }),
    ...(options.end === undefined ? {} : { logicalDateTo: options.end }),
    limit: MAX_RUNS,
    offset: 0,
    order: 'run_after_asc',
  });
  return runs;
}
