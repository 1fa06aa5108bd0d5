import { sql, type Insertable, type QueryCreator } from 'kysely';
import { UpdraftError } from '../../contracts/errors.ts';
import type { JsonObject } from '../../contracts/json.ts';
import type { DagRunState, DagRunType } from '../../contracts/states.ts';
import { dialectOf } from '../dialects/dialect-name.ts';
import type { Database, DagRunTable } from '../schema.ts';
import { getDagRun, toDagRun, type DagRun } from './dag-runs.ts';
import { inTransaction, isUniqueViolation, type Executor } from './executor.ts';
import { executePrepared, insertRows, type Param } from './prepared.ts';
import { createTaskInstances, NEW_TASK_INSTANCE_COLUMNS, newTaskInstanceRows, type NewTaskInstance, type NewTaskInstanceRow } from './task-instances.ts';

/** Creating DAG runs: alone, or with their task instances as every creator of a run does. */

export interface NewDagRun {
  dagId: string;
  runId: string;
  runType: DagRunType;
  /** Default `queued`. */
  state?: DagRunState;
  logicalDate: number | null;
  dataIntervalStart: number | null;
  dataIntervalEnd: number | null;
  runAfter: number;
  conf?: JsonObject;
  note?: string | null;
  dagVersionHash: string;
  /** Who or what created the run: `scheduler`, `api`, `cli`, `backfill`... */
  triggeredBy: string;
  /** Creation time: queued_at of a queued run, start_date of a run created running. */
  now: number;
}

/**
 * Creates a DAG run with its task instances; DAG_RUN_EXISTS (and nothing written) when the DAG
 * already has a run with this run id or logical date. On Postgres it is one statement, atomic on
 * its own: a trigger outside a transaction makes one round trip where BEGIN, two inserts and
 * COMMIT made four. Elsewhere two statements, in the caller's transaction or one of their own.
 */
export async function createDagRunWithTaskInstances(db: Executor, run: NewDagRun, tasks: readonly NewTaskInstance[]): Promise<DagRun> {
  if (dialectOf(db) !== 'postgres') {
    return inTransaction(db, async (trx) => {
      const created = await createDagRun(trx, run);
      await createTaskInstances(trx, created, tasks);
      return created;
    });
  }
  const row = dagRunRow(run);
  const taskInstances = JSON.stringify(newTaskInstanceRows(run, tasks));
  const { rows } = await executePrepared(db, 'insertDagRunWithTaskInstances', { ...row, taskInstances }, (db, param) =>
    db
      .with('run', (db) => insertRunUnlessTakenStatement(db, row, param))
      // The task instances arrive as one JSON document of rows, so one prepared plan serves any
      // number of them (ADR 0015); none are written when the run's insert found its id taken.
      .with('tis', (db) =>
        db
          .insertInto('task_instance')
          .columns(NEW_TASK_INSTANCE_COLUMNS)
          .expression(
            db
              .selectFrom(sql<NewTaskInstanceRow>`json_populate_recordset(null::task_instance, cast(${param('taskInstances')} as json))`.as('k'))
              .select(NEW_TASK_INSTANCE_COLUMNS.map((column) => `k.${column}` as const))
              .where((eb) => eb.exists(eb.selectFrom('run').select('run.id'))),
          ),
      )
      .selectFrom('run')
      .selectAll(),
  );
  if (rows[0] === undefined) throw runExists(run);
  return toDagRun(rows[0]);
}

/** Creates a DAG run; DAG_RUN_EXISTS when the DAG already has a run with this run id or logical date. */
export async function createDagRun(db: Executor, run: NewDagRun): Promise<DagRun> {
  if (dialectOf(db) !== 'mysql') {
    const created = await insertDagRunUnlessTaken(db, dagRunRow(run));
    if (created === null) throw runExists(run);
    return created;
  }
  await assertNoDuplicate(db, run);
  try {
    await insertRows(db, 'createDagRun', 'dag_run', [dagRunRow(run)]);
  } catch (error) {
    // A concurrent creator won the race between the check above and this insert.
    if (isUniqueViolation(error)) throw runExists(run);
    throw error;
  }
  const created = await getDagRun(db, { dagId: run.dagId, runId: run.runId });
  if (created === null) throw new UpdraftError('INTERNAL', `DAG run ${run.dagId}/${run.runId} vanished after insert`);
  return created;
}

function dagRunRow(run: NewDagRun): Insertable<DagRunTable> {
  const { state = 'queued', now } = run;
  return {
    dag_id: run.dagId,
    run_id: run.runId,
    run_type: run.runType,
    state,
    logical_date: run.logicalDate,
    data_interval_start: run.dataIntervalStart,
    data_interval_end: run.dataIntervalEnd,
    run_after: run.runAfter,
    queued_at: state === 'queued' ? now : null,
    start_date: state === 'running' ? now : null,
    end_date: null,
    conf: JSON.stringify(run.conf ?? {}),
    note: run.note ?? null,
    dag_version_hash: run.dagVersionHash,
    triggered_by: run.triggeredBy,
    last_scheduling_decision: null,
  };
}

/**
 * Inserts a run and returns it as stored, with its id, in one statement; null when its run id or
 * logical date is taken (nothing is written). A conflict is not an error, so it leaves the
 * caller's transaction usable: on Postgres a failed statement would abort it, and the run-creation
 * phase goes on after a run someone else created meanwhile. MySQL has neither RETURNING nor a
 * DO NOTHING that is only about unique keys (INSERT IGNORE also swallows bad values).
 */
async function insertDagRunUnlessTaken(db: Executor, row: Insertable<DagRunTable>): Promise<DagRun | null> {
  const { rows } = await executePrepared(db, 'insertDagRunUnlessTaken', row as Record<string, unknown>, (db, param) => insertRunUnlessTakenStatement(db, row, param));
  return rows[0] === undefined ? null : toDagRun(rows[0]);
}

/** The insert of insertDagRunUnlessTaken, each of the row's values taken through `param`. */
function insertRunUnlessTakenStatement(db: QueryCreator<Database>, row: Insertable<DagRunTable>, param: Param<Record<string, unknown>>) {
  return db
    .insertInto('dag_run')
    .values(Object.fromEntries(Object.keys(row).map((column) => [column, param(column)])) as Insertable<DagRunTable>)
    .onConflict((conflict) => conflict.doNothing())
    .returningAll();
}

/** MySQL's check before its insert (see insertDagRunUnlessTaken). */
async function assertNoDuplicate(db: Executor, run: NewDagRun): Promise<void> {
  const { dagId, runId, logicalDate } = run;
  const byLogicalDate = logicalDate !== null;
  const { rows } = await executePrepared(db, byLogicalDate ? 'findRunOrLogicalDate' : 'findRun', { dagId, runId, logicalDate }, (db, param) =>
    db
      .selectFrom('dag_run')
      .select('id')
      .where('dag_id', '=', param('dagId'))
      .where((eb) => (byLogicalDate ? eb.or([eb('run_id', '=', param('runId')), eb('logical_date', '=', param('logicalDate'))]) : eb('run_id', '=', param('runId')))),
  );
  if (rows.length > 0) throw runExists(run);
}

function runExists(run: NewDagRun): UpdraftError {
  const logicalDate = run.logicalDate === null ? null : new Date(run.logicalDate).toISOString();
  return new UpdraftError('DAG_RUN_EXISTS', `DAG ${run.dagId} already has a run with run id "${run.runId}"${logicalDate === null ? '' : ` or logical date ${logicalDate}`}`, {
    hint: 'Pick another run id or logical date, or clear the existing run to run it again',
    details: { dagId: run.dagId, runId: run.runId, logicalDate },
  });
}
