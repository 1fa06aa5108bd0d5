import type { Selectable } from 'kysely';
import { UpdraftError } from '../../contracts/errors.ts';
import type { JsonValue } from '../../contracts/json.ts';
import type { TaskInstanceKey } from '../../contracts/task-instance.ts';
import type { XComTable } from '../schema.ts';
import type { DagRunKey } from './dag-runs.ts';
import { isNotNullViolation, type Executor } from './executor.ts';
import { executePrepared } from './prepared.ts';
import { onConflictUpdate } from './upsert.ts';
import { tiKeyOfRow } from './task-instances.ts';

export interface XCom extends TaskInstanceKey {
  dagRunId: number;
  key: string;
  value: JsonValue;
  timestamp: number;
}

export interface XComKey extends TaskInstanceKey {
  key: string;
}

/** Creates or replaces an XCom. `json` is the value already serialized (see encodeXComValue, which bounds its size). */
export async function setXCom(db: Executor, xcom: XComKey & { json: string; now: number }): Promise<void> {
  // One prepared statement per try that returns a value: the run's id comes from a sub-query, and a
  // run that does not exist leaves it null, which the column refuses.
  const params = { dagId: xcom.dagId, runId: xcom.runId, taskId: xcom.taskId, mapIndex: xcom.mapIndex, key: xcom.key, json: xcom.json, now: xcom.now };
  try {
    await executePrepared(db, 'upsertXCom', params, (db, param) => {
      const insert = db.insertInto('xcom').values({
        dag_run_id: db.selectFrom('dag_run').select('id').where('dag_id', '=', param('dagId')).where('run_id', '=', param('runId')),
        dag_id: param('dagId'),
        run_id: param('runId'),
        task_id: param('taskId'),
        map_index: param('mapIndex'),
        key: param('key'),
        value: param('json'),
        timestamp: param('now'),
      });
      return onConflictUpdate(db, insert, ['dag_run_id', 'task_id', 'map_index', 'key'], { value: param('json'), timestamp: param('now') });
    });
  } catch (error) {
    if (!isNotNullViolation(error)) throw error;
    throw new UpdraftError('DAG_RUN_NOT_FOUND', `No DAG run ${xcom.dagId}/${xcom.runId} to attach XCom "${xcom.key}" to`, {
      details: { dagId: xcom.dagId, runId: xcom.runId },
    });
  }
}

/** One XCom, or null. */
export async function getXCom(db: Executor, key: XComKey): Promise<XCom | null> {
  const row = await db
    .selectFrom('xcom')
    .selectAll()
    .where('dag_id', '=', key.dagId)
    .where('run_id', '=', key.runId)
    .where('task_id', '=', key.taskId)
    .where('map_index', '=', key.mapIndex)
    .where('key', '=', key.key)
    .executeTakeFirst();
  return row === undefined ? null : toXCom(row);
}

/** The XComs of a run, or of one task instance when taskId (and mapIndex) are given. */
export async function listXComs(db: Executor, scope: DagRunKey & { taskId?: string; mapIndex?: number }): Promise<XCom[]> {
  let query = db.selectFrom('xcom').selectAll().where('dag_id', '=', scope.dagId).where('run_id', '=', scope.runId);
  if (scope.taskId !== undefined) query = query.where('task_id', '=', scope.taskId);
  if (scope.mapIndex !== undefined) query = query.where('map_index', '=', scope.mapIndex);
  const rows = await query.orderBy('task_id').orderBy('map_index').orderBy('key').execute();
  return rows.map(toXCom);
}

/** Deletes the XComs of a task instance (before it runs again); returns how many. */
export async function clearXComsForTask(db: Executor, key: TaskInstanceKey): Promise<number> {
  const result = await db
    .deleteFrom('xcom')
    .where('dag_id', '=', key.dagId)
    .where('run_id', '=', key.runId)
    .where('task_id', '=', key.taskId)
    .where('map_index', '=', key.mapIndex)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

function toXCom(row: Selectable<XComTable>): XCom {
  return {
    dagRunId: row.dag_run_id,
    ...tiKeyOfRow(row),
    key: row.key,
    value: JSON.parse(row.value) as JsonValue,
    timestamp: row.timestamp,
  };
}
