import { sql, type ExpressionBuilder } from 'kysely';
import { FINISHED_TI_STATES, TASK_INSTANCE_STATES, type TaskInstanceState } from '../../contracts/states.ts';
import { dialectOf } from '../dialects/dialect-name.ts';
import type { Database } from '../schema.ts';
import type { DagRunKey } from './dag-runs.ts';
import type { Executor } from './executor.ts';
import { executePrepared, executeSized } from './prepared.ts';
import { oneOfRunParams, runKeyParams } from './run-key-params.ts';
import { lockRows } from './scheduling-locks.ts';
import { tiKeyOfRow } from './task-instances.ts';

/** A running DAG run claimed for one scheduling decision. */
export interface ClaimedRun {
  dagId: string;
  runId: string;
  logicalDate: number | null;
  startDate: number | null;
  dagVersionHash: string;
  progress: RunProgress;
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
 * Claims up to `limit` running runs of unpaused DAGs, locked SKIP LOCKED (lockRows), the ones decided
 * longest ago first (never decided first), so that every run gets its turn and two schedulers
 * never decide the same run at once, and stamps them decided at `now` (for the claims after this
 * transaction). Each comes with its progress at `now`. On Postgres the stamp is part of the claim's
 * statement: one round trip less in every loop. With `runs`, only those runs are candidates (the
 * runs of tries that just ended).
 */
export async function claimRunsToSchedule(trx: Executor, options: { limit: number; now: number; runs?: readonly DagRunKey[] }): Promise<ClaimedRun[]> {
  const postgres = dialectOf(trx) === 'postgres';
  const { runs } = options;
  const params = { limit: options.limit, now: options.now, ...(runs === undefined ? {} : runKeyParams(runs)) };
  const { rows } = await executeSized(trx, runs === undefined ? 'claimRunsToSchedule' : 'claimRunsToSchedule/of', runs?.length ?? 0, params, (db, param) => {
    const candidates = db.selectFrom('dag_run as r');
    const claim = lockRows(
      db,
      (runs === undefined ? candidates : candidates.where(oneOfRunParams(runs.length, param)))
        .select(['r.id', 'r.dag_id', 'r.run_id', 'r.logical_date', 'r.start_date', 'r.dag_version_hash'])
        .select((eb) => eb.fn.coalesce('r.last_scheduling_decision', eb.lit(0)).as('decided_at'))
        .select((eb) => progressProbes(eb, param('now'), postgres))
        .where('r.state', '=', 'running')
        .where((eb) => eb.not(eb.exists(eb.selectFrom('dag').select('dag.dag_id').whereRef('dag.dag_id', '=', 'r.dag_id').where('dag.is_paused', '=', 1))))
        .orderBy('decided_at')
        .orderBy('r.id')
        .limit(param('limit')),
      'skip_locked',
    );
    if (!postgres) return claim;
    // A data-modifying WITH runs whether or not the query reads it.
    return db
      .with('claimed', () => claim)
      .with('stamped', (db) =>
        db
          .updateTable('dag_run')
          .set({ last_scheduling_decision: param('now') })
          .where('id', 'in', (eb) => eb.selectFrom('claimed').select('claimed.id')),
      )
      .selectFrom('claimed')
      .selectAll()
      .orderBy('decided_at')
      .orderBy('id');
  });
  if (!postgres) await stampSchedulingDecision(trx, rows.map((row) => ({ dagId: row.dag_id, runId: row.run_id })), options.now);
  return rows.map((row) => ({
    dagId: row.dag_id,
    runId: row.run_id,
    logicalDate: row.logical_date,
    startDate: row.start_date,
    dagVersionHash: row.dag_version_hash,
    progress: { notStarted: truthy(row.not_started), dueToRetry: truthy(row.due_to_retry), unfinished: truthy(row.unfinished) },
  }));
}

/** What a decision about a run depends on, as yes/no answers. */
export interface RunProgress {
  /** Some task instance is not yet scheduled: trigger rules may now decide it. */
  notStarted: boolean;
  /** Some up_for_retry / up_for_reschedule has waited long enough. */
  dueToRetry: boolean;
  /** Some task instance is in an unfinished state. */
  unfinished: boolean;
}

const WAITING_STATES = ['up_for_retry', 'up_for_reschedule'] as const;
const UNFINISHED_STATES = TASK_INSTANCE_STATES.filter((state) => !FINISHED_TI_STATES.includes(state));

/**
 * EXISTS probes of the run `r`, each a seek on task_instance (state, dag_id, run_id): a loop learns
 * whether a run needs a decision without reading (or counting) its task instances, so its cost
 * does not grow with the size of a busy run. On Postgres one probe per state, not one
 * `state in (...)`: given a list, Postgres without statistics (a new database) walks the run's
 * task instances through the primary key instead, 1.4 ms a loop in a run of 2,000. SQLite and
 * MySQL seek each state of a list, which costs them less than separate probes.
 */
function progressProbes(eb: ExpressionBuilder<Database & { r: Database['dag_run'] }, 'r'>, now: number, probeEachState: boolean) {
  const tisOfRun = () => eb.selectFrom('task_instance as t').select('t.state').whereRef('t.dag_id', '=', 'r.dag_id').whereRef('t.run_id', '=', 'r.run_id');
  const anyIn = (states: readonly string[], due: boolean) => {
    const probe = (tis: ReturnType<typeof tisOfRun>) => eb.exists(due ? tis.where('t.next_attempt_at', '<=', now) : tis);
    // Each state a literal, not a parameter: with statistics, Postgres judges a prepared statement by
    // the average state and probed a run by scanning every task instance, 30 ms a claim.
    return probeEachState ? eb.or(states.map((state) => probe(tisOfRun().where('t.state', '=', sql.lit(state))))) : probe(tisOfRun().where('t.state', 'in', states));
  };
  return [anyIn(['none'], false).as('not_started'), anyIn(WAITING_STATES, true).as('due_to_retry'), anyIn(UNFINISHED_STATES, false).as('unfinished')];
}

/** EXISTS comes back as a boolean (Postgres) or 0/1 (SQLite, MySQL). */
function truthy(value: unknown): boolean {
  return value === true || Number(value) === 1;
}

/** The task instances of the given runs, in one query. */
export async function listTiStatesOfRuns(db: Executor, runs: readonly DagRunKey[]): Promise<RunTiRow[]> {
  if (runs.length === 0) return [];
  const { rows } = await executePrepared(db, `listTiStatesOfRuns/${runs.length}`, runKeyParams(runs), (db, param) =>
    db
      .selectFrom('task_instance')
      .select(['dag_id', 'run_id', 'task_id', 'map_index', 'state', 'try_number', 'next_attempt_at'])
      .where(oneOfRunParams(runs.length, param))
      .orderBy('dag_id')
      .orderBy('run_id')
      .orderBy('task_id')
      .orderBy('map_index'),
  );
  return rows.map((row) => ({
    ...tiKeyOfRow(row),
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

/** Stamps the runs just claimed, so the next claim serves the others first. */
async function stampSchedulingDecision(db: Executor, runs: readonly DagRunKey[], now: number): Promise<void> {
  if (runs.length === 0) return;
  await executePrepared(db, `stampSchedulingDecision/${runs.length}`, { ...runKeyParams(runs), now }, (db, param) =>
    db
      .updateTable('dag_run')
      .set({ last_scheduling_decision: param('now') })
      .where(oneOfRunParams(runs.length, param)),
  );
}
