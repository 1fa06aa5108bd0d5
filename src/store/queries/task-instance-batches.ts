import { sql, type SqlBool } from 'kysely';
import type { TaskInstanceState } from '../../contracts/states.ts';
import type { TaskInstanceKey, TaskTryKey } from '../../contracts/task-instance.ts';
import { dialectOf } from '../dialects/dialect-name.ts';
import { chunked, type Executor } from './executor.ts';
import { batchTable, itemsParam, TRY_KEY_COLUMNS, tryKeyItem } from './postgres-batch-table.ts';
import { executePrepared, executeSized, type Param } from './prepared.ts';
import { setTaskInstanceState, stampFor, tiKeyOfRow, toColumns, type TaskInstanceFields } from './task-instances.ts';

/** A task instance at the try number a compare-and-set expects it at. */
export interface TaskInstanceAtTry extends TaskInstanceKey {
  tryNumber: number;
}

/** Task instances per statement of setTaskInstanceStates: 5 parameters each, far below every dialect's limit. */
const STATE_CHANGES_PER_STATEMENT = 500;

/**
 * setTaskInstanceState for many task instances: each changes only while it is in state `from` at
 * its own try number. Returns the keys of those that changed. On Postgres that is one statement,
 * on SQLite one per 500 task instances (UPDATE ... RETURNING), instead of one each, which is what lets a
 * scheduler decide or queue a wide run in a few round trips. MySQL has no RETURNING to tell which
 * rows changed, so it changes them one by one, as everyone does a lone task instance.
 */
export async function setTaskInstanceStates(
  db: Executor,
  tis: readonly TaskInstanceAtTry[],
  change: TaskInstanceFields & { from: TaskInstanceState; to: TaskInstanceState; now: number },
): Promise<TaskInstanceKey[]> {
  const { from, to, now, ...fields } = change;
  // One task instance is a keyed update, simpler than an IN list.
  if (dialectOf(db) === 'mysql' || tis.length === 1) {
    const changed: TaskInstanceKey[] = [];
    for (const { tryNumber, ...key } of tis) {
      if (await setTaskInstanceState(db, key, { ...fields, from: [from], to, whenTryNumber: tryNumber, now })) changed.push(key);
    }
    return changed;
  }
  const columns = toColumns({ ...stampFor(to, now), ...fields });
  const columnNames = Object.keys(columns) as (keyof typeof columns & string)[];
  if (dialectOf(db) === 'postgres') return setStatesOfBatch(db, tis, { ...columns, from, to }, columnNames);
  const changed: TaskInstanceKey[] = [];
  for (const chunk of chunked(tis, STATE_CHANGES_PER_STATEMENT)) {
    const params = { ...columns, from, to, ...tryKeyListParams(chunk) };
    const { rows } = await executeSized(db, `setTaskInstanceStates/${columnNames.join(',')}`, chunk.length, params, (db, param) =>
      db
        .updateTable('task_instance')
        .set({ state: param('to'), ...Object.fromEntries(columnNames.map((name) => [name, param(name)])) })
        .where('state', '=', param('from'))
        .where(tryKeysIn(param, chunk.length))
        .returning(['dag_id', 'run_id', 'task_id', 'map_index']),
    );
    changed.push(...rows.map(tiKeyOfRow));
  }
  return changed;
}

/**
 * setTaskInstanceStates on Postgres: every task instance in one statement of one shape, whatever
 * their number (postgres-batch-table.ts). An IN list of 500 keys made Postgres plan the statement
 * anew each time (tens of milliseconds) and test every row against every key.
 */
async function setStatesOfBatch(
  db: Executor,
  tis: readonly TaskInstanceAtTry[],
  values: Record<string, unknown> & { from: TaskInstanceState; to: TaskInstanceState },
  columnNames: readonly string[],
): Promise<TaskInstanceKey[]> {
  const items = tis.map(tryKeyItem);
  const params: typeof values & { items: string } = { ...values, ...itemsParam(items) };
  const { rows } = await executePrepared(db, `setStatesOfBatch/${columnNames.join(',')}`, params, (db, param) => {
    const batch = batchTable(param('items'), TRY_KEY_COLUMNS, (ti) => sql<SqlBool>`${sql.ref(`${ti}.state`)} = ${param('from')} and ${sql.ref(`${ti}.try_number`)} = ${sql.ref('k.k_tryNumber')}`);
    return db
      .updateTable('task_instance')
      .set({ state: param('to'), ...Object.fromEntries(columnNames.map((name) => [name, param(name)])) })
      .where(() => batch.inBatch)
      .returning(['task_instance.dag_id', 'task_instance.run_id', 'task_instance.task_id', 'task_instance.map_index']);
  });
  return rows.map(tiKeyOfRow);
}

/** The keys of a batch as the parameters of a sized statement (see tryKeysIn). */
export function tryKeyListParams(keys: readonly TaskTryKey[]): Record<string, string | number> {
  const params: Record<string, string | number> = {};
  keys.forEach((key, index) => {
    params[`dagId${index}`] = key.dagId;
    params[`runId${index}`] = key.runId;
    params[`taskId${index}`] = key.taskId;
    params[`mapIndex${index}`] = key.mapIndex;
    params[`tryNumber${index}`] = key.tryNumber;
  });
  return params;
}

/** `(dag_id, run_id, task_id, map_index, try_number) IN (...)` over `count` keys bound by tryKeyListParams. */
export function tryKeysIn(param: Param<Record<string, unknown>>, count: number) {
  const keys = Array.from(
    { length: count },
    (_, index) => sql`(${param(`dagId${index}`)}, ${param(`runId${index}`)}, ${param(`taskId${index}`)}, ${param(`mapIndex${index}`)}, ${param(`tryNumber${index}`)})`,
  );
  return sql<boolean>`(${sql.join(['dag_id', 'run_id', 'task_id', 'map_index', 'try_number'].map((column) => sql.ref(column)))}) in (${sql.join(keys)})`;
}
