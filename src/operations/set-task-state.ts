import { UpdraftError } from '../contracts/errors.ts';
import type { TaskInstanceState } from '../contracts/states.ts';
import { getDagRun, getSerializedDagVersion, listTaskInstances, runTransaction, setDagRunState, setTaskInstanceState, type Store } from '../store/index.ts';
import { selectTasks, type TaskSelection } from './select-tasks.ts';

/** The states a person may set by hand, as in Airflow's "mark success / failed / skipped". */
export const SETTABLE_STATES = ['success', 'failed', 'skipped'] as const;
export type SettableState = (typeof SETTABLE_STATES)[number];

export interface SetStateOptions extends TaskSelection {
  dagId: string;
  runId: string;
  state: SettableState;
  dryRun?: boolean;
  now: number;
}

/**
 * Marks task instances of one run with a final state. A running TI keeps running until its supervisor
 * sees at the next heartbeat that the state changed. Returns the task ids whose state changes.
 */
export async function setTaskState(store: Store, options: SetStateOptions): Promise<{ taskId: string; from: TaskInstanceState }[]> {
  if (!(SETTABLE_STATES as readonly string[]).includes(options.state)) {
    throw new UpdraftError('INVALID_ARGUMENT', `Cannot set state "${options.state}" by hand`, { hint: `Use one of ${SETTABLE_STATES.join(', ')}` });
  }
  const run = await getDagRun(store.db, options);
  if (run === null) throw new UpdraftError('DAG_RUN_NOT_FOUND', `No run "${options.runId}" of DAG "${options.dagId}"`, { hint: 'List runs with `updraft dags list-runs <dag>`' });
  const version = await getSerializedDagVersion(store.db, run.dagId, run.dagVersionHash);
  if (version === null) throw new UpdraftError('DAG_NOT_FOUND', `The DAG version of run "${run.runId}" is gone`, { hint: 'Re-parse the DAG folder' });
  const taskIds = new Set(selectTasks(version.dag, options));
  const changes = (await listTaskInstances(store.db, run)).filter((ti) => taskIds.has(ti.taskId) && ti.state !== options.state);
  if (options.dryRun !== true) {
    await runTransaction(store.db, async (trx) => {
      for (const ti of changes) {
        await setTaskInstanceState(trx, ti, { from: [ti.state], to: options.state, endDate: options.now, nextAttemptAt: null });
      }
      // A finished run is handed back to the scheduler, which settles its state by the new TI states.
      if (changes.length > 0 && (run.state === 'success' || run.state === 'failed')) await setDagRunState(trx, run, 'queued', options.now);
    });
  }
  return changes.map((ti) => ({ taskId: ti.taskId, from: ti.state }));
}
