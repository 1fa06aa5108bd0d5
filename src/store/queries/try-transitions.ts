import { sql, type QueryCreator, type RawBuilder, type SqlBool } from 'kysely';
import type { TaskInstanceState } from '../../contracts/states.ts';
import type { TaskTryKey } from '../../contracts/task-instance.ts';
import { dialectOf } from '../dialects/dialect-name.ts';
import type { Database } from '../schema.ts';
import type { Executor } from './executor.ts';
import { executePrepared, type Param } from './prepared.ts';
import { keyParams, matchesKeyParams, toTaskInstance, type KeyParams, type TaskInstance } from './task-instances.ts';

/**
 * A try's usual start and end on its task instance: the compare-and-set rules (isUsualStart,
 * isRunningTry) and the UPDATEs built on them, by key here, by row id in the Postgres batches
 * (postgres-try-batches.ts).
 */

/**
 * The usual start of a try in one statement, on Postgres and SQLite (UPDATE ... RETURNING): the
 * task instance is queued at the previous try number and no earlier try waits in reschedule mode.
 * Returns the task instance as it now runs, or null when that is not the case, and always on MySQL
 * (no RETURNING): the caller then takes the general path, which reads first and explains a refusal.
 */
export async function startQueuedTry(db: Executor, key: TaskTryKey, start: { now: number; hostname: string; pid: number }): Promise<TaskInstance | null> {
  if (dialectOf(db) === 'mysql') return null;
  const params = { ...keyParams(key), ...start, tryNumber: key.tryNumber, previousTry: key.tryNumber - 1 };
  const { rows } = await executePrepared(db, 'startQueuedTry', params, (db, param) => startQueuedTryUpdate(db, param).returningAll());
  const row = rows[0];
  return row === undefined ? null : toTaskInstance(row);
}

type StartParams = KeyParams & { tryNumber: number; previousTry: number; now: number; hostname: string; pid: number };
type EndParams = KeyParams & { tryNumber: number; state: TaskInstanceState; endDate: number; nextAttemptAt: number | null };

/** A condition on the task instance `ti` (its table's name or alias in the statement). */
export type TiCondition = (ti: string) => RawBuilder<SqlBool>;

/**
 * The UPDATE of a usual start: the task instance, queued at `previousTry` with that try not
 * waiting in reschedule mode (isUsualStart), becomes running at the new try, on this host, since
 * now. It is found by its key, or, in a batch of starts, by `batchRow`: the batch's lookup found
 * the row and checked the rule (postgres-batch-table.ts).
 */
export function startQueuedTryUpdate(db: QueryCreator<Database>, param: Param<StartParams>, batchRow?: RawBuilder<SqlBool>) {
  const update = db.updateTable('task_instance').set({
    state: 'running',
    try_number: param('tryNumber'),
    start_date: param('now'),
    end_date: null,
    duration_ms: null,
    hostname: param('hostname'),
    pid: param('pid'),
    last_heartbeat_at: param('now'),
    next_attempt_at: null,
  });
  return batchRow === undefined ? update.where(matchesKeyParams(param)).where(() => isUsualStart(param)('task_instance')) : update.where(() => batchRow);
}

/** The task instance is queued at `previousTry`, and that try does not wait in reschedule mode. */
export function isUsualStart(param: Param<StartParams>): TiCondition {
  return (ti) =>
    sql<SqlBool>`${sql.ref(`${ti}.state`)} = ${'queued'} and ${sql.ref(`${ti}.try_number`)} = ${param('previousTry')} and not ${tryWaitsInReschedule(keyOfParams(param), param('previousTry'))}`;
}

/**
 * EXISTS: try `tryNumber` of the task instance `ti` (its table's name or alias in the statement,
 * or its key's values) waits in reschedule mode, as a sensor's try does between its pokes.
 */
export function tryWaitsInReschedule(ti: 'ti' | 'task_instance' | KeyColumns, tryNumber: unknown) {
  const same = (column: keyof KeyColumns) => sql`${sql.ref(`waiting.${column}`)} = ${typeof ti === 'string' ? sql.ref(`${ti}.${column}`) : ti[column]}`;
  return sql<boolean>`exists (select 1 from ${sql.table('task_instance_try')} as waiting where ${sql.join(
    (['dag_id', 'run_id', 'task_id', 'map_index'] as const).map(same),
    sql` and `,
  )} and ${sql.ref('waiting.try_number')} = ${tryNumber} and ${sql.ref('waiting.state')} = ${'up_for_reschedule'})`;
}

/** A task instance's key as the values a statement compares its columns to. */
type KeyColumns = Record<'dag_id' | 'run_id' | 'task_id' | 'map_index', unknown>;

function keyOfParams(param: Param<KeyParams>): KeyColumns {
  return { dag_id: param('dagId'), run_id: param('runId'), task_id: param('taskId'), map_index: param('mapIndex') };
}

/**
 * A try's duration up to `end`, counted in SQL from the row's own start_date: the task instance and
 * its try row end with the same expression, so their durations agree without reading either first.
 */
export function durationUntil(end: number) {
  return sql<number>`${end} - ${sql.ref('start_date')}`;
}

/**
 * Ends the running try `key.tryNumber` (compare-and-set on `running` and the try number) in one
 * statement: the duration is counted from the TI's start in SQL, so ending a try reads nothing
 * first. False when the TI is not running that try any more.
 */
export async function endRunningTry(
  db: Executor,
  key: TaskTryKey,
  end: { state: TaskInstanceState; endDate: number; nextAttemptAt: number | null },
): Promise<boolean> {
  const params = { ...keyParams(key), ...end, tryNumber: key.tryNumber };
  const result = await executePrepared(db, 'endRunningTry', params, (db, param) => endRunningTryUpdate(db, param));
  return (result.numAffectedRows ?? 0n) > 0n;
}

/**
 * The UPDATE that ends running try `tryNumber` of a task instance (isRunningTry), its duration
 * counted from its start; found by its key, or by `batchRow` in a batch of ends (see
 * startQueuedTryUpdate).
 */
export function endRunningTryUpdate(db: QueryCreator<Database>, param: Param<EndParams>, batchRow?: RawBuilder<SqlBool>) {
  const update = db
    .updateTable('task_instance')
    .set({ state: param('state'), end_date: param('endDate'), duration_ms: durationUntil(param('endDate')), next_attempt_at: param('nextAttemptAt') });
  return batchRow === undefined ? update.where(matchesKeyParams(param)).where(() => isRunningTry(param)('task_instance')) : update.where(() => batchRow);
}

/** The task instance is running try `tryNumber`. */
export function isRunningTry(param: Param<Pick<EndParams, 'tryNumber'>>): TiCondition {
  return (ti) => sql<SqlBool>`${sql.ref(`${ti}.state`)} = ${'running'} and ${sql.ref(`${ti}.try_number`)} = ${param('tryNumber')}`;
}
