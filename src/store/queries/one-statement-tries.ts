import { sql, type Selectable } from 'kysely';
import type { TaskInstanceState } from '../../contracts/states.ts';
import type { TaskTryKey } from '../../contracts/task-instance.ts';
import type { DagRunTable } from '../schema.ts';
import { previousSuccessId, toDagRun, type RunWithPreviousSuccess } from './dag-runs.ts';
import type { Executor } from './executor.ts';
import { executePrepared } from './prepared.ts';
import { endRunningTryUpdate, keyParams, startQueuedTryUpdate, toTaskInstance, type TaskInstance } from './task-instances.ts';

/**
 * A try's start and end, each in one statement on Postgres (data-modifying WITH). Each statement
 * is a round trip, and on a busy host a round trip costs the supervisor more than the work it
 * carries: the usual start (task instance, try row, run) took three, the end two. The other
 * dialects keep the batched statements of task-execution-api.ts: SQLite has no round trips, and
 * MySQL has neither RETURNING nor writes in WITH.
 */

/**
 * The usual start of a try (see startQueuedTry): moves the task instance to running, inserts the
 * try's row and returns the task instance with its run and the run's previous success, or null
 * when the task instance is not queued for this try (the caller then takes the general path).
 */
export async function startQueuedTryWithRun(
  db: Executor,
  key: TaskTryKey,
  start: { now: number; hostname: string; pid: number; logPath: string },
): Promise<({ ti: TaskInstance } & RunWithPreviousSuccess) | null> {
  const params = { ...keyParams(key), ...start, tryNumber: key.tryNumber, previousTry: key.tryNumber - 1 };
  const { rows } = await executePrepared(db, 'startQueuedTryWithRun', params, (db, param) =>
    db
      .with('started', (db) => startQueuedTryUpdate(db, param).returningAll())
      .with('try_row', (db) =>
        db
          .insertInto('task_instance_try')
          .columns(['dag_id', 'run_id', 'task_id', 'map_index', 'try_number', 'state', 'start_date', 'hostname', 'pid', 'executor', 'pool', 'queue', 'operator', 'log_path'])
          .expression((eb) =>
            eb
              .selectFrom('started')
              .select(['dag_id', 'run_id', 'task_id', 'map_index', 'try_number', 'state', 'start_date', 'hostname', 'pid', 'executor', 'pool', 'queue', 'operator'])
              .select(sql<string>`cast(${param('logPath')} as text)`.as('log_path')),
          )
          .returning('try_number'),
      )
      .selectFrom('started')
      .selectAll('started')
      .select([
        sql<Selectable<DagRunTable>>`(select to_jsonb(r) from dag_run r where r.dag_id = started.dag_id and r.run_id = started.run_id)`.as('run'),
        sql<Selectable<DagRunTable> | null>`(select to_jsonb(p) from dag_run p where p.id = ${previousSuccessId(sql.ref('started.dag_id'), sql.ref('started.run_logical_date'))})`.as(
          'previous_success',
        ),
      ]),
  );
  const row = rows[0];
  if (row === undefined) return null;
  const previous = row.previous_success;
  return {
    ti: toTaskInstance(row),
    run: toDagRun(row.run),
    previousSuccess:
      previous === null
        ? null
        : { runId: previous.run_id, dataIntervalStart: previous.data_interval_start, dataIntervalEnd: previous.data_interval_end, startDate: previous.start_date, endDate: previous.end_date },
  };
}

/**
 * Ends the running try `key.tryNumber` as endRunningTry does, with its try row and, given one,
 * its return value (the `return_value` XCom) in the same statement; false when the task
 * instance is not running that try any more, in which case nothing is written.
 */
export async function endRunningTryWithRow(
  db: Executor,
  key: TaskTryKey,
  end: { state: TaskInstanceState; endDate: number; nextAttemptAt: number | null; error: string | null; returnValueJson: string | null },
): Promise<boolean> {
  const { returnValueJson, ...values } = end;
  // One shape for both cases: the value's row is written only when there is one.
  const params = { ...keyParams(key), ...values, tryNumber: key.tryNumber, hasValue: returnValueJson === null ? 0 : 1, json: returnValueJson ?? '' };
  const { rows } = await executePrepared(db, 'endRunningTryWithRow', params, (db, param) =>
    db
      .with('ended', (db) =>
        endRunningTryUpdate(db, param).returning(['dag_id', 'run_id', 'task_id', 'map_index', 'try_number', 'state', 'end_date', 'duration_ms']),
      )
      .with('try_end', (db) =>
        db
          .updateTable('task_instance_try as t')
          .from('ended')
          .set((eb) => ({ state: eb.ref('ended.state'), end_date: eb.ref('ended.end_date'), duration_ms: eb.ref('ended.duration_ms'), error: param('error') }))
          .whereRef('t.dag_id', '=', 'ended.dag_id')
          .whereRef('t.run_id', '=', 'ended.run_id')
          .whereRef('t.task_id', '=', 'ended.task_id')
          .whereRef('t.map_index', '=', 'ended.map_index')
          .whereRef('t.try_number', '=', 'ended.try_number')
          .returning('t.try_number'),
      )
      .with('return_value', (db) =>
        db
          .insertInto('xcom')
          .columns(['dag_run_id', 'dag_id', 'run_id', 'task_id', 'map_index', 'key', 'value', 'timestamp'])
          .expression((eb) =>
            eb
              .selectFrom('ended')
              .innerJoin('dag_run as r', (join) => join.onRef('r.dag_id', '=', 'ended.dag_id').onRef('r.run_id', '=', 'ended.run_id'))
              .select(['r.id', 'ended.dag_id', 'ended.run_id', 'ended.task_id', 'ended.map_index'])
              // Typed: Postgres cannot tell the type of a bare parameter in a select list.
              .select([sql.lit('return_value').as('key'), sql<string>`cast(${param('json')} as text)`.as('value'), sql<number>`cast(${param('endDate')} as bigint)`.as('timestamp')])
              .where(sql<boolean>`cast(${param('hasValue')} as integer) = 1`),
          )
          .onConflict((conflict) =>
            conflict.columns(['dag_run_id', 'task_id', 'map_index', 'key']).doUpdateSet((eb) => ({ value: eb.ref('excluded.value'), timestamp: eb.ref('excluded.timestamp') })),
          )
          .returning('key'),
      )
      .selectFrom('ended')
      .select((eb) => eb.fn.countAll<number>().as('ended')),
  );
  return Number(rows[0]?.ended ?? 0) > 0;
}
