import { FINISHED_TI_STATES, type TaskInstanceState } from '../../contracts/states.ts';
import type { DagRunKey } from './dag-runs.ts';
import type { Executor } from './executor.ts';
import { lockRows } from './scheduling-locks.ts';

/** A running DAG run claimed for one scheduling decision. */
export interface ClaimedRun {
  dagId: string;
  runId: string;
  logicalDate: number | null;
  startDate: number | null;
  dagVersionHash: string;
}

/** A task instance as the per-run decision reads it. */
export interface RunTiRow {
  dagId: string;
  runId: string;
  taskId: string;
  mapIndex: number;
  state: TaskInstanceState;
  tryNumber: number;
  nextAttemptAt: number | null;
}

/**
 * Claims up to `limit` running runs of unpaused DAGs, FOR UPDATE SKIP LOCKED, the ones decided
 * longest ago first (never decided first), so that every run gets its turn and two schedulers
 * never decide the same run at once.
 */
export async function claimRunsToSchedule(trx: Executor, options: { limit: number }): Promise<ClaimedRun[]> {
  const query = trx
    .selectFrom('dag_run')
    .select(['dag_id', 'run_id', 'logical_date', 'start_date', 'dag_version_hash'])
    .where('state', '=', 'running')
    .where((eb) => eb.not(eb.exists(eb.selectFrom('dag').select('dag.dag_id').whereRef('dag.dag_id', '=', 'dag_run.dag_id').where('dag.is_paused', '=', 1))))
    .orderBy((eb) => eb.fn.coalesce('last_scheduling_decision', eb.lit(0)))
    .orderBy('id')
    .limit(options.limit);
  const rows = await lockRows(trx, query, 'skip_locked').execute();
  return rows.map((row) => ({ dagId: row.dag_id, runId: row.run_id, logicalDate: row.logical_date, startDate: row.start_date, dagVersionHash: row.dag_version_hash }));
}

/** How far a run's task instances have come: enough to tell whether a decision can change anything. */
export interface RunProgress {
  /** Task instances not yet scheduled: trigger rules may now decide them. */
  notStarted: number;
  /** up_for_retry / up_for_reschedule whose wait has ended. */
  dueToRetry: number;
  /** Task instances in any unfinished state. */
  unfinished: number;
}

/**
 * Counts per run, in one aggregate query, of the task instances a decision depends on. Reading
 * counts instead of every task instance keeps a loop cheap while a big run is busy executing.
 */
export async function runProgress(db: Executor, runs: readonly DagRunKey[], now: number): Promise<Map<string, RunProgress>> {
  const progress = new Map<string, RunProgress>(runs.map((run) => [`${run.dagId}\u0000${run.runId}`, { notStarted: 0, dueToRetry: 0, unfinished: 0 }]));
  if (runs.length === 0) return progress;
  const rows = await db
    .selectFrom('task_instance')
    .select((eb) => [
      'dag_id',
      'run_id',
      eb.fn.sum<number>(eb.case().when('state', '=', 'none').then(1).else(0).end()).as('not_started'),
      eb.fn
        .sum<number>(eb.case().when(eb.and([eb('state', 'in', ['up_for_retry', 'up_for_reschedule']), eb('next_attempt_at', '<=', now)])).then(1).else(0).end())
        .as('due_to_retry'),
      eb.fn.sum<number>(eb.case().when('state', 'not in', [...FINISHED_TI_STATES]).then(1).else(0).end()).as('unfinished'),
    ])
    .where((eb) => eb.or(runs.map((run) => eb.and([eb('dag_id', '=', run.dagId), eb('run_id', '=', run.runId)]))))
    .groupBy(['dag_id', 'run_id'])
    .execute();
  for (const row of rows) {
    progress.set(`${row.dag_id}\u0000${row.run_id}`, { notStarted: Number(row.not_started), dueToRetry: Number(row.due_to_retry), unfinished: Number(row.unfinished) });
  }
  return progress;
}

/** The task instances of the given runs, in one query. */
export async function listTiStatesOfRuns(db: Executor, runs: readonly DagRunKey[]): Promise<RunTiRow[]> {
  if (runs.length === 0) return [];
  const rows = await db
    .selectFrom('task_instance')
    .select(['dag_id', 'run_id', 'task_id', 'map_index', 'state', 'try_number', 'next_attempt_at'])
    .where((eb) => eb.or(runs.map((run) => eb.and([eb('dag_id', '=', run.dagId), eb('run_id', '=', run.runId)]))))
    .orderBy('dag_id')
    .orderBy('run_id')
    .orderBy('task_id')
    .orderBy('map_index')
    .execute();
  return rows.map((row) => ({
    dagId: row.dag_id,
    runId: row.run_id,
    taskId: row.task_id,
    mapIndex: row.map_index,
    state: row.state as TaskInstanceState,
    tryNumber: row.try_number,
    nextAttemptAt: row.next_attempt_at,
  }));
}

/** The run before `logicalDate` (by logical date) with its unmapped TI states, for dependsOnPast; null for the first run. */
export async function previousRunStates(
  db: Executor,
  dagId: string,
  logicalDate: number,
): Promise<{ runId: string; states: Map<string, TaskInstanceState> } | null> {
  const previous = await db
    .selectFrom('dag_run')
    .select('run_id')
    .where('dag_id', '=', dagId)
    .where('logical_date', '<', logicalDate)
    .orderBy('logical_date', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (previous === undefined) return null;
  const tis = await db
    .selectFrom('task_instance')
    .select(['task_id', 'state'])
    .where('dag_id', '=', dagId)
    .where('run_id', '=', previous.run_id)
    .where('map_index', '=', -1)
    .execute();
  return { runId: previous.run_id, states: new Map(tis.map((ti) => [ti.task_id, ti.state as TaskInstanceState])) };
}

/** Moves a queued run to running (compare-and-set); false when it was not queued any more. */
export async function startQueuedRun(db: Executor, key: DagRunKey, now: number): Promise<boolean> {
  const result = await db
    .updateTable('dag_run')
    .set((eb) => ({ state: 'running', start_date: eb.fn.coalesce('start_date', eb.val(now)), end_date: null }))
    .where('dag_id', '=', key.dagId)
    .where('run_id', '=', key.runId)
    .where('state', '=', 'queued')
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Ends a running run (compare-and-set); false when it was not running any more (cleared, marked by hand). */
export async function finishRunningRun(db: Executor, key: DagRunKey, state: 'success' | 'failed', now: number): Promise<boolean> {
  const result = await db
    .updateTable('dag_run')
    .set({ state, end_date: now })
    .where('dag_id', '=', key.dagId)
    .where('run_id', '=', key.runId)
    .where('state', '=', 'running')
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Stamps the runs just decided, so the next claim serves the others first. */
export async function touchSchedulingDecision(db: Executor, runs: readonly DagRunKey[], now: number): Promise<void> {
  if (runs.length === 0) return;
  await db
    .updateTable('dag_run')
    .set({ last_scheduling_decision: now })
    .where((eb) => eb.or(runs.map((run) => eb.and([eb('dag_id', '=', run.dagId), eb('run_id', '=', run.runId)]))))
    .execute();
}
