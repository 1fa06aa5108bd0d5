import { sql, type Selectable } from 'kysely';
import type { TaskInstanceState } from '../../contracts/states.ts';
import { runKeyOf } from '../../core/scheduling/types.ts';
import { tryIdOf, type TaskTryKey } from '../../contracts/task-instance.ts';
import type { DagRunTable, TaskInstanceTable } from '../schema.ts';
import { previousSuccessId, toDagRun, type RunWithPreviousSuccess } from './dag-runs.ts';
import type { Executor } from './executor.ts';
import { batchTable, itemsParam, rowOfK, TRY_KEY_COLUMNS, tryKeyItem, type BatchColumns } from './postgres-batch-table.ts';
import { executePrepared } from './prepared.ts';
import { tiKeyOfRow, toTaskInstance, type TaskInstance } from './task-instances.ts';
import { endRunningTryUpdate, isRunningTry, isUsualStart, startQueuedTryUpdate } from './try-transitions.ts';

/**
 * The starts and ends of many tries, each kind in one statement on Postgres. A round trip costs
 * the supervisor and the server more than the keyed writes a try needs, and the tries of a busy
 * host report in bursts: a statement per try, inside a transaction of its own (BEGIN and COMMIT
 * are round trips too), made five round trips a try. Here the tries that reported together travel
 * as one batch table (postgres-batch-table.ts) that the statement joins to the rows it changes.
 * One statement is atomic without BEGIN and COMMIT, and the same prepared statement serves any
 * number of tries.
 *
 * The other dialects keep the group-commit path of task-execution-api.ts: SQLite has no round
 * trips, and MySQL has neither RETURNING nor writes in WITH.
 */

/** A try that starts: its key and where, when and in which log file. */
export interface TryStartItem {
  key: TaskTryKey;
  start: { now: number; hostname: string; pid: number; logPath: string };
}

/** A try that ends as the supervisor recorded it (not a reschedule: that one keeps the general path). */
export interface TryEndItem {
  key: TaskTryKey;
  end: { state: TaskInstanceState; endDate: number; nextAttemptAt: number | null; error: string | null; returnValueJson: string | null };
}

export type StartedTry = { ti: TaskInstance } & RunWithPreviousSuccess;

const START_COLUMNS = {
  ...TRY_KEY_COLUMNS,
  previousTry: 'integer',
  now: 'bigint',
  hostname: 'text',
  pid: 'integer',
  logPath: 'text',
} as const satisfies BatchColumns<StartRow>;

type StartRow = TaskTryKey & TryStartItem['start'] & { previousTry: number };

const END_COLUMNS = {
  ...TRY_KEY_COLUMNS,
  state: 'text',
  endDate: 'bigint',
  nextAttemptAt: 'bigint',
  error: 'text',
  returnValueJson: 'text',
} as const satisfies BatchColumns<EndRow>;

type EndRow = TaskTryKey & TryEndItem['end'];

/**
 * Moves each queued task instance to running at its try, inserts the try rows, and returns, in the
 * order of `items`, each started try with its run and the run's previous success, or null for a
 * try that is not a usual start (the caller takes the general path, which explains a refusal).
 * A task instance named twice starts at most once: the later items get null.
 */
export async function startQueuedTries(db: Executor, items: readonly TryStartItem[]): Promise<(StartedTry | null)[]> {
  const unique = firstOfEachTaskInstance(items);
  const rows = [...unique].map(({ key, start }): StartRow => ({ ...tryKeyItem(key), previousTry: key.tryNumber - 1, ...start }));
  const { rows: started } = await executePrepared(db, 'startQueuedTries', itemsParam(rows), (db, param) =>
    db
      .with('started', (db) => {
        const batch = batchTable(param('items'), START_COLUMNS, isUsualStart(rowOfK<StartRow>()));
        return startQueuedTryUpdate(db, rowOfK<StartRow>(), batch.joinedRow).from(batch.table).returning(sql<string>`${sql.ref('k.k_logPath')}`.as('log_path')).returningAll('task_instance');
      })
      .with('try_row', (db) =>
        db
          .insertInto('task_instance_try')
          .columns(['dag_id', 'run_id', 'task_id', 'map_index', 'try_number', 'state', 'start_date', 'hostname', 'pid', 'executor', 'pool', 'queue', 'operator', 'log_path'])
          .expression((eb) =>
            eb.selectFrom('started').select(['dag_id', 'run_id', 'task_id', 'map_index', 'try_number', 'state', 'start_date', 'hostname', 'pid', 'executor', 'pool', 'queue', 'operator', 'log_path']),
          ),
      )
      .selectFrom('started')
      .selectAll('started')
      // The run and its previous success come once per run, on its first row: built and parsed for
      // every try, they were a third of the statement's time in a batch of one run's tries.
      .select([
        sql<Selectable<DagRunTable> | null>`case when row_number() over (partition by ${sql.ref('started.dag_id')}, ${sql.ref('started.run_id')}) = 1 then (select to_jsonb(r) from dag_run r where r.dag_id = started.dag_id and r.run_id = started.run_id) end`.as('run'),
        sql<Selectable<DagRunTable> | null>`case when row_number() over (partition by ${sql.ref('started.dag_id')}, ${sql.ref('started.run_id')}) = 1 then (select to_jsonb(p) from dag_run p where p.id = ${previousSuccessId(sql.ref('started.dag_id'), sql.ref('started.run_logical_date'))}) end`.as(
          'previous_success',
        ),
      ]),
  );
  const runs = new Map(started.flatMap((row) => (row.run === null ? [] : [[runKeyOf(row.dag_id, row.run_id), toRunWithPreviousSuccess(row.run, row.previous_success)] as const])));
  const byKey = new Map(started.map((row) => [tryOfRow(row), row]));
  return items.map((item) => {
    const row = unique.has(item) ? byKey.get(tryIdOf(item.key)) : undefined;
    return row === undefined ? null : { ti: toTaskInstance(row), ...runs.get(runKeyOf(row.dag_id, row.run_id))! };
  });
}

/**
 * Ends each running try as its item says, with its try row and, given one, its return value (the
 * `return_value` XCom), written only for the tries whose end was accepted. Returns, in the order of
 * `items`, whether each try ended; false when its task instance is not running that try any more
 * (nothing is written for it). A task instance named twice ends at most once.
 */
export async function endRunningTries(db: Executor, items: readonly TryEndItem[]): Promise<boolean[]> {
  const unique = firstOfEachTaskInstance(items);
  const rows = [...unique].map(({ key, end }): EndRow => ({ ...tryKeyItem(key), ...end }));
  const { rows: ended } = await executePrepared(db, 'endRunningTries', itemsParam(rows), (db, param) =>
    db
      .with('ended', (db) => {
        const batch = batchTable(param('items'), END_COLUMNS, isRunningTry(rowOfK<EndRow>()));
        return endRunningTryUpdate(db, rowOfK<EndRow>(), batch.joinedRow)
          .from(batch.table)
          .returning(['dag_id', 'run_id', 'task_id', 'map_index', 'try_number', 'state', 'end_date', 'duration_ms'])
          .returning([sql<string | null>`${sql.ref('k.k_error')}`.as('error'), sql<string | null>`${sql.ref('k.k_returnValueJson')}`.as('return_value_json')]);
      })
      .with('try_end', (db) =>
        db
          .updateTable('task_instance_try as t')
          .from('ended')
          .set((eb) => ({ state: eb.ref('ended.state'), end_date: eb.ref('ended.end_date'), duration_ms: eb.ref('ended.duration_ms'), error: eb.ref('ended.error') }))
          .whereRef('t.dag_id', '=', 'ended.dag_id')
          .whereRef('t.run_id', '=', 'ended.run_id')
          .whereRef('t.task_id', '=', 'ended.task_id')
          .whereRef('t.map_index', '=', 'ended.map_index')
          .whereRef('t.try_number', '=', 'ended.try_number')
          // By key, not by row id as the task instances are: the try row may change meanwhile (its
          // rendered fields), and a row id would then miss it where the key still finds it.
          .returning('t.try_number'),
      )
      .with('return_value', (db) =>
        db
          .insertInto('xcom')
          .columns(['dag_run_id', 'dag_id', 'run_id', 'task_id', 'map_index', 'key', 'value', 'timestamp'])
          .expression((eb) =>
            eb
              .selectFrom('ended')
              // The run's id looked up by key for each value: joined, Postgres without statistics hashed all of dag_run.
              .select((eb) => eb.selectFrom('dag_run as r').select('r.id').whereRef('r.dag_id', '=', 'ended.dag_id').whereRef('r.run_id', '=', 'ended.run_id').as('dag_run_id'))
              .select(['ended.dag_id', 'ended.run_id', 'ended.task_id', 'ended.map_index'])
              .select([sql.lit('return_value').as('key'), 'ended.return_value_json', 'ended.end_date'])
              .where('ended.return_value_json', 'is not', null),
          )
          .onConflict((conflict) =>
            conflict.columns(['dag_run_id', 'task_id', 'map_index', 'key']).doUpdateSet((eb) => ({ value: eb.ref('excluded.value'), timestamp: eb.ref('excluded.timestamp') })),
          )
          .returning('key'),
      )
      .selectFrom('ended')
      .select(['dag_id', 'run_id', 'task_id', 'map_index', 'try_number']),
  );
  const endedIds = new Set(ended.map(tryOfRow));
  return items.map((item) => unique.has(item) && endedIds.has(tryIdOf(item.key)));
}

/** The items without a second one for the same task instance (a duplicate delivery): one statement changes a row once. */
function firstOfEachTaskInstance<T extends { key: TaskTryKey }>(items: readonly T[]): Set<T> {
  const seen = new Set<string>();
  return new Set(
    items.filter((item) => {
      const id = tryIdOf({ ...item.key, tryNumber: 0 });
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    }),
  );
}

/** The try a returned row is about. */
function tryOfRow(row: Pick<Selectable<TaskInstanceTable>, 'dag_id' | 'run_id' | 'task_id' | 'map_index' | 'try_number'>): string {
  return tryIdOf({ ...tiKeyOfRow(row), tryNumber: row.try_number });
}

function toRunWithPreviousSuccess(run: Selectable<DagRunTable>, previous: Selectable<DagRunTable> | null): RunWithPreviousSuccess {
  return {
    run: toDagRun(run),
    previousSuccess:
      previous === null
        ? null
        : { runId: previous.run_id, dataIntervalStart: previous.data_interval_start, dataIntervalEnd: previous.data_interval_end, startDate: previous.start_date, endDate: previous.end_date },
  };
}
