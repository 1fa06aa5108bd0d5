import { type ExpressionBuilder, type Insertable, type Selectable, type Updateable } from 'kysely';
import type { SerializedTask } from '../../contracts/serialized-dag.ts';
import { isFinishedTiState, type TaskInstanceState } from '../../contracts/states.ts';
import type { TaskInstanceKey, TaskTryKey } from '../../contracts/task-instance.ts';
import type { Database, TaskInstanceTable, TaskInstanceTryTable } from '../schema.ts';
import { chunked, type Executor } from './executor.ts';
import type { DagRunKey } from './dag-runs.ts';
import { executePrepared, insertRows, type Param } from './prepared.ts';

export interface TaskInstance extends TaskInstanceKey {
  tryNumber: number;
  maxTries: number;
  state: TaskInstanceState;
  startDate: number | null;
  endDate: number | null;
  durationMs: number | null;
  hostname: string;
  pid: number | null;
  pool: string;
  poolSlots: number;
  queue: string;
  priorityWeight: number;
  operator: string;
  executor: string | null;
  queuedAt: number | null;
  scheduledAt: number | null;
  nextAttemptAt: number | null;
  lastHeartbeatAt: number | null;
  dagVersionHash: string;
  note: string | null;
}

/** One row of a TI's tries history. */
export interface TaskInstanceTry extends TaskInstanceKey {
  tryNumber: number;
  state: TaskInstanceState;
  startDate: number | null;
  endDate: number | null;
  durationMs: number | null;
  hostname: string;
  pid: number | null;
  executor: string | null;
  pool: string;
  queue: string;
  operator: string;
  renderedFields: Record<string, unknown> | null;
  logPath: string;
  error: Record<string, unknown> | null;
}

/**
 * A task instance to create for a run: the serialized task's options, with the priority weight the
 * caller computed (core applies the weight rule). As in Airflow, max_tries = retries.
 */
export type NewTaskInstance = Pick<SerializedTask, 'taskId' | 'retries' | 'pool' | 'poolSlots' | 'queue' | 'priorityWeight' | 'operator' | 'executor'> & {
  /** -1 (default) for an unmapped task. */
  mapIndex?: number;
};

/** The TI columns a state change may set along with the state. */
export interface TaskInstanceFields {
  tryNumber?: number;
  startDate?: number | null;
  endDate?: number | null;
  durationMs?: number | null;
  hostname?: string;
  pid?: number | null;
  executor?: string | null;
  queuedAt?: number | null;
  scheduledAt?: number | null;
  nextAttemptAt?: number | null;
  lastHeartbeatAt?: number | null;
  queuedByJobId?: number | null;
}

export interface TaskInstanceStateChange extends TaskInstanceFields {
  to: TaskInstanceState;
  /** Only change the TI if its state is one of these (compare-and-set). */
  from?: readonly TaskInstanceState[];
  /** Only change the TI if its current try number is this one. */
  whenTryNumber?: number;
  /**
   * Stamps the date that goes with the new state unless given explicitly: scheduled_at for
   * `scheduled`, queued_at for `queued`, end_date for finished states, next_attempt_at is left alone.
   */
  now?: number;
}

/** The run of new task instances: what each of their rows copies from it. */
export type RunOfNewTaskInstances = DagRunKey & { dagVersionHash: string; logicalDate: number | null };

/** Creates the task instances of a run in bulk, all in state `none` with try number 0. */
export async function createTaskInstances(db: Executor, run: RunOfNewTaskInstances, tasks: readonly NewTaskInstance[]): Promise<void> {
  // 25 columns a row: 500 rows stay under SQLite's 32766 bound parameters.
  for (const chunk of chunked(newTaskInstanceRows(run, tasks), 500)) await insertRows(db, 'createTaskInstances', 'task_instance', chunk);
}

/** The columns a new task instance's row sets; the others keep their defaults. */
export const NEW_TASK_INSTANCE_COLUMNS = [
  'dag_id',
  'run_id',
  'task_id',
  'map_index',
  'try_number',
  'max_tries',
  'state',
  'start_date',
  'end_date',
  'duration_ms',
  'hostname',
  'pid',
  'pool',
  'pool_slots',
  'queue',
  'priority_weight',
  'operator',
  'executor',
  'queued_at',
  'scheduled_at',
  'next_attempt_at',
  'last_heartbeat_at',
  'dag_version_hash',
  'note',
  'run_logical_date',
] as const satisfies readonly (keyof TaskInstanceTable)[];

/** A new task instance's row: every column of NEW_TASK_INSTANCE_COLUMNS, and only those. */
export type NewTaskInstanceRow = { [K in (typeof NEW_TASK_INSTANCE_COLUMNS)[number]]-?: Insertable<TaskInstanceTable>[K] };

/** The rows of a run's new task instances, all in state `none` with try number 0. */
export function newTaskInstanceRows(run: RunOfNewTaskInstances, tasks: readonly NewTaskInstance[]): NewTaskInstanceRow[] {
  return tasks.map((task) => ({
    dag_id: run.dagId,
    run_id: run.runId,
    task_id: task.taskId,
    map_index: task.mapIndex ?? -1,
    try_number: 0,
    max_tries: task.retries,
    state: 'none',
    start_date: null,
    end_date: null,
    duration_ms: null,
    hostname: '',
    pid: null,
    pool: task.pool,
    pool_slots: task.poolSlots,
    queue: task.queue,
    priority_weight: task.priorityWeight,
    operator: task.operator,
    executor: task.executor,
    queued_at: null,
    scheduled_at: null,
    next_attempt_at: null,
    last_heartbeat_at: null,
    dag_version_hash: run.dagVersionHash,
    note: null,
    run_logical_date: run.logicalDate,
  }));
}

/** The task instances of a run, by task id and map index. */
export async function listTaskInstances(db: Executor, run: DagRunKey): Promise<TaskInstance[]> {
  const rows = await db
    .selectFrom('task_instance')
    .selectAll()
    .where('dag_id', '=', run.dagId)
    .where('run_id', '=', run.runId)
    .orderBy('task_id')
    .orderBy('map_index')
    .execute();
  return rows.map(toTaskInstance);
}

/** One task instance, or null. */
export async function getTaskInstance(db: Executor, key: TaskInstanceKey): Promise<TaskInstance | null> {
  const { rows } = await executePrepared(db, 'getTaskInstance', keyParams(key), (db, param) =>
    db.selectFrom('task_instance').selectAll().where(matchesKeyParams(param)),
  );
  return rows[0] === undefined ? null : toTaskInstance(rows[0]);
}

/**
 * Compare-and-set of a TI's state: changes it (and the given fields) only when its state is in
 * `from` and its try number is `whenTryNumber` (when given). Returns whether a row changed, so
 * two writers racing on one TI cannot both win.
 */
export async function setTaskInstanceState(db: Executor, key: TaskInstanceKey, change: TaskInstanceStateChange): Promise<boolean> {
  const { to, from = null, whenTryNumber, now, ...fields } = change;
  if (from !== null && from.length === 0) return false;
  const columns = toColumns(now === undefined ? fields : { ...stampFor(to, now), ...fields });
  const columnNames = Object.keys(columns) as (keyof typeof columns & string)[];
  const fromParams = Object.fromEntries((from ?? []).map((state, index) => [`from${index}`, state]));
  const params = { ...keyParams(key), ...columns, ...fromParams, to, whenTryNumber: whenTryNumber ?? null };
  // The statement's shape: which columns it sets, how many states it may change from, whether it checks the try.
  const shape = `${columnNames.join(',')}/${from?.length ?? 'any'}/${whenTryNumber === undefined ? 'any' : 'try'}`;
  const result = await executePrepared(db, `setTaskInstanceState/${shape}`, params, (db, param) => {
    const set = Object.fromEntries(columnNames.map((name) => [name, param(name)]));
    let update = db
      .updateTable('task_instance')
      .set({ state: param('to'), ...set })
      .where(matchesKeyParams(param));
    if (from !== null) update = update.where('state', 'in', Object.keys(fromParams).map((name) => param(name as keyof typeof params & string) as TaskInstanceState));
    if (whenTryNumber !== undefined) update = update.where('try_number', '=', param('whenTryNumber') as number);
    return update;
  });
  return (result.numAffectedRows ?? 0n) > 0n;
}

/** Records a heartbeat of a running try; false when the TI is not running this try any more. */
export async function recordTaskHeartbeat(db: Executor, key: TaskTryKey, now: number): Promise<boolean> {
  const result = await db
    .updateTable('task_instance')
    .set({ last_heartbeat_at: now })
    .where(matchesKey(key))
    .where('state', '=', 'running')
    .where('try_number', '=', key.tryNumber)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Skips the named TIs of a run that have not started (`none` or `scheduled`); returns how many changed. */
export async function skipTaskInstances(db: Executor, run: DagRunKey, taskIds: readonly string[], now: number): Promise<number> {
  let skipped = 0;
  for (const ids of chunked(taskIds, 500)) {
    const result = await db
      .updateTable('task_instance')
      .set({ state: 'skipped', end_date: now })
      .where('dag_id', '=', run.dagId)
      .where('run_id', '=', run.runId)
      .where('task_id', 'in', ids)
      .where('state', 'in', ['none', 'scheduled'])
      .executeTakeFirst();
    skipped += Number(result.numUpdatedRows);
  }
  return skipped;
}

/** The tries of a task instance, oldest first. */
export async function listTries(db: Executor, key: TaskInstanceKey): Promise<TaskInstanceTry[]> {
  const rows = await db.selectFrom('task_instance_try').selectAll().where(matchesKey(key)).orderBy('try_number').execute();
  return rows.map(toTry);
}

type KeyedTable = 'task_instance' | 'task_instance_try' | 'task_reschedule';

/** The task instance key of a row that has the key columns. */
export function tiKeyOfRow(row: { dag_id: string; run_id: string; task_id: string; map_index: number }): TaskInstanceKey {
  return { dagId: row.dag_id, runId: row.run_id, taskId: row.task_id, mapIndex: row.map_index };
}

/** A where-filter selecting one task instance's rows in task_instance, task_instance_try or task_reschedule. */
export function matchesKey<TB extends KeyedTable>(key: TaskInstanceKey) {
  return (eb: ExpressionBuilder<Database, TB>) =>
    eb.and({ dag_id: key.dagId, run_id: key.runId, task_id: key.taskId, map_index: key.mapIndex } as never);
}

/** A task instance key as the parameters of a prepared statement (see matchesKeyParams). */
export function keyParams(key: TaskInstanceKey): KeyParams {
  return { dagId: key.dagId, runId: key.runId, taskId: key.taskId, mapIndex: key.mapIndex };
}

export type KeyParams = { dagId: string; runId: string; taskId: string; mapIndex: number };

/** matchesKey for a prepared statement: the key's values are bound on each run. */
export function matchesKeyParams<TB extends KeyedTable>(param: Param<KeyParams>) {
  return matchesKey<TB>({ dagId: param('dagId'), runId: param('runId'), taskId: param('taskId'), mapIndex: param('mapIndex') });
}

/** The date column that goes with a new state (see TaskInstanceStateChange.now). */
export function stampFor(state: TaskInstanceState, now: number): TaskInstanceFields {
  if (state === 'scheduled') return { scheduledAt: now };
  if (state === 'queued') return { queuedAt: now };
  if (isFinishedTiState(state)) return { endDate: now };
  return {};
}

/** TaskInstanceFields as task_instance columns; fields left undefined are not set. */
export function toColumns(fields: TaskInstanceFields): Updateable<Database['task_instance']> {
  const columns: Updateable<Database['task_instance']> = {};
  if (fields.tryNumber !== undefined) columns.try_number = fields.tryNumber;
  if (fields.startDate !== undefined) columns.start_date = fields.startDate;
  if (fields.endDate !== undefined) columns.end_date = fields.endDate;
  if (fields.durationMs !== undefined) columns.duration_ms = fields.durationMs;
  if (fields.hostname !== undefined) columns.hostname = fields.hostname;
  if (fields.pid !== undefined) columns.pid = fields.pid;
  if (fields.executor !== undefined) columns.executor = fields.executor;
  if (fields.queuedAt !== undefined) columns.queued_at = fields.queuedAt;
  if (fields.scheduledAt !== undefined) columns.scheduled_at = fields.scheduledAt;
  if (fields.nextAttemptAt !== undefined) columns.next_attempt_at = fields.nextAttemptAt;
  if (fields.lastHeartbeatAt !== undefined) columns.last_heartbeat_at = fields.lastHeartbeatAt;
  if (fields.queuedByJobId !== undefined) columns.queued_by_job_id = fields.queuedByJobId;
  return columns;
}

export function toTaskInstance(row: Selectable<TaskInstanceTable>): TaskInstance {
  return {
    ...tiKeyOfRow(row),
    tryNumber: row.try_number,
    maxTries: row.max_tries,
    state: row.state as TaskInstanceState,
    startDate: row.start_date,
    endDate: row.end_date,
    durationMs: row.duration_ms,
    hostname: row.hostname,
    pid: row.pid,
    pool: row.pool,
    poolSlots: row.pool_slots,
    queue: row.queue,
    priorityWeight: row.priority_weight,
    operator: row.operator,
    executor: row.executor,
    queuedAt: row.queued_at,
    scheduledAt: row.scheduled_at,
    nextAttemptAt: row.next_attempt_at,
    lastHeartbeatAt: row.last_heartbeat_at,
    dagVersionHash: row.dag_version_hash,
    note: row.note,
  };
}

function toTry(row: Selectable<TaskInstanceTryTable>): TaskInstanceTry {
  return {
    ...tiKeyOfRow(row),
    tryNumber: row.try_number,
    state: row.state as TaskInstanceState,
    startDate: row.start_date,
    endDate: row.end_date,
    durationMs: row.duration_ms,
    hostname: row.hostname,
    pid: row.pid,
    executor: row.executor,
    pool: row.pool,
    queue: row.queue,
    operator: row.operator,
    renderedFields: row.rendered_fields === null ? null : (JSON.parse(row.rendered_fields) as Record<string, unknown>),
    logPath: row.log_path,
    error: row.error === null ? null : (JSON.parse(row.error) as Record<string, unknown>),
  };
}
