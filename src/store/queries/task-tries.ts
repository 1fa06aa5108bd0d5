import type { Updateable } from 'kysely';
import type { JsonValue } from '../../contracts/json.ts';
import type { TaskInstanceState } from '../../contracts/states.ts';
import type { TaskTryKey } from '../../contracts/task-instance.ts';
import type { Database } from '../schema.ts';
import { chunked, type Executor } from './executor.ts';
import { executePrepared, executeSized, insertRows } from './prepared.ts';
import { tryKeyListParams, tryKeysIn } from './task-instance-batches.ts';
import { keyParams, matchesKeyParams, type TaskInstance } from './task-instances.ts';
import { durationUntil } from './try-transitions.ts';

/** The state and start of a try, or null when the try has no row yet. */
export async function getTryStatus(db: Executor, key: TaskTryKey): Promise<{ state: TaskInstanceState; startDate: number | null } | null> {
  const { rows } = await executePrepared(db, 'getTryStatus', { ...keyParams(key), tryNumber: key.tryNumber }, (db, param) =>
    db.selectFrom('task_instance_try').select(['state', 'start_date']).where(matchesKeyParams(param)).where('try_number', '=', param('tryNumber')),
  );
  const row = rows[0];
  return row === undefined ? null : { state: row.state as TaskInstanceState, startDate: row.start_date };
}

/** What a try that starts now records about itself. */
export interface TryStart {
  ti: TaskInstance;
  key: TaskTryKey;
  start: { now: number; hostname: string; pid: number; logPath: string };
}

/** The task_instance_try row of a try that starts now, copying the TI's placement (pool, queue, executor...). */
function tryRow({ ti, key, start }: TryStart) {
  return {
    dag_id: key.dagId,
    run_id: key.runId,
    task_id: key.taskId,
    map_index: key.mapIndex,
    try_number: key.tryNumber,
    state: 'running',
    start_date: start.now,
    end_date: null,
    duration_ms: null,
    hostname: start.hostname,
    pid: start.pid,
    executor: ti.executor,
    pool: ti.pool,
    queue: ti.queue,
    operator: ti.operator,
    rendered_fields: null,
    log_path: start.logPath,
    error: null,
  };
}

/** Rows per statement of insertTries: 18 parameters each, within every dialect's limit. */
const TRIES_PER_INSERT = 500;

/** The rows of the tries that start in a group-commit batch, in one multi-row statement. */
export async function insertTries(db: Executor, starts: readonly TryStart[]): Promise<void> {
  for (const chunk of chunked(starts, TRIES_PER_INSERT)) await insertRows(db, 'insertTries', 'task_instance_try', chunk.map(tryRow));
}

/** Rows per statement of endTriesAsTheirTis: 5 parameters each. */
const TRIES_PER_END = 500;

/** How a try ended, as endRunningTry recorded it on its task instance. */
export interface TryEnd {
  key: TaskTryKey;
  state: TaskInstanceState;
  endDate: number;
  error: string | null;
}

/**
 * Ends the rows of tries whose task instances were just ended (endRunningTry, in the same
 * transaction). A lone try is endTry; the tries of a batch end in one statement per distinct error,
 * their state, end date and duration copied from their task instances.
 */
export async function endTriesAsTheirTis(db: Executor, ends: readonly TryEnd[]): Promise<void> {
  if (ends.length === 1) {
    const { key, ...end } = ends[0]!;
    await endTry(db, key, end);
    return;
  }
  for (const [error, sameError] of Map.groupBy(ends, (end) => end.error)) {
    for (const chunk of chunked(sameError.map((end) => end.key), TRIES_PER_END)) {
      await executeSized(db, 'endTriesAsTheirTis', chunk.length, { error, ...tryKeyListParams(chunk) }, (db, param) =>
        db
          .updateTable('task_instance_try')
          .set((eb) => {
            const fromTi = <C extends 'state' | 'end_date' | 'duration_ms'>(column: C) =>
              eb
                .selectFrom('task_instance as ti')
                .select(`ti.${column}`)
                .whereRef('ti.dag_id', '=', 'task_instance_try.dag_id')
                .whereRef('ti.run_id', '=', 'task_instance_try.run_id')
                .whereRef('ti.task_id', '=', 'task_instance_try.task_id')
                .whereRef('ti.map_index', '=', 'task_instance_try.map_index');
            return { state: fromTi('state'), end_date: fromTi('end_date'), duration_ms: fromTi('duration_ms'), error: param('error') };
          })
          .where(tryKeysIn(param, chunk.length)),
      );
    }
  }
}

export async function updateTry(db: Executor, key: TaskTryKey, values: Updateable<Database['task_instance_try']>): Promise<boolean> {
  const columns = Object.keys(values) as (keyof typeof values & string)[];
  const result = await executePrepared(db, `updateTry/${columns.join(',')}`, { ...values, ...keyParams(key), tryNumber: key.tryNumber }, (db, param) =>
    db
      .updateTable('task_instance_try')
      .set(Object.fromEntries(columns.map((name) => [name, param(name)])))
      .where(matchesKeyParams(param))
      .where('try_number', '=', param('tryNumber')),
  );
  return (result.numAffectedRows ?? 0n) > 0n;
}

/** Ends the row of a try, its duration counted from its start in SQL; false when the try has no row. */
export async function endTry(db: Executor, key: TaskTryKey, end: { state: TaskInstanceState; endDate: number; error: string | null }): Promise<boolean> {
  const result = await executePrepared(db, 'endTry', { ...keyParams(key), ...end, tryNumber: key.tryNumber }, (db, param) =>
    db
      .updateTable('task_instance_try')
      .set({
        state: param('state'),
        end_date: param('endDate'),
        duration_ms: durationUntil(param('endDate')),
        error: param('error'),
      })
      .where(matchesKeyParams(param))
      .where('try_number', '=', param('tryNumber')),
  );
  return (result.numAffectedRows ?? 0n) > 0n;
}

/** Stores the rendered template fields of a try (shown in the UI); false when the try has no row. */
export async function setTryRenderedFields(db: Executor, key: TaskTryKey, fields: Record<string, JsonValue>): Promise<boolean> {
  return updateTry(db, key, { rendered_fields: JSON.stringify(fields) });
}

/** Records that a try in reschedule mode gave back its slot until `rescheduleDate`. */
export async function recordReschedule(db: Executor, key: TaskTryKey, dates: { startDate: number; endDate: number; rescheduleDate: number }): Promise<void> {
  await db
    .insertInto('task_reschedule')
    .values({
      dag_id: key.dagId,
      run_id: key.runId,
      task_id: key.taskId,
      map_index: key.mapIndex,
      try_number: key.tryNumber,
      start_date: dates.startDate,
      end_date: dates.endDate,
      reschedule_date: dates.rescheduleDate,
    })
    .execute();
}
