import { sql, type AliasedRawBuilder, type RawBuilder, type SqlBool } from 'kysely';
import type { Param } from './prepared.ts';
import type { TaskTryKey } from '../../contracts/task-instance.ts';
import type { TiCondition } from './try-transitions.ts';

/**
 * A batch of task instances as a table to join in one Postgres statement: the starts and ends of
 * the tries that report together (postgres-try-batches.ts), the state changes of a scheduling
 * loop (task-instance-batches.ts). One prepared statement serves any number of items.
 */

/** Postgres type of each value of an item, by the name the statement takes it under; the key's four are required. */
export type BatchColumns<Row> = { [K in keyof Row & string]: 'text' | 'integer' | 'bigint' } & Record<'dagId' | 'runId' | 'taskId' | 'mapIndex', unknown>;

/** The columns of a try's key, which every batch's items begin with. */
export const TRY_KEY_COLUMNS = { dagId: 'text', runId: 'text', taskId: 'text', mapIndex: 'integer', tryNumber: 'integer' } as const satisfies BatchColumns<TaskTryKey>;

/** A try's key as the start of a batch item (only its own fields: the item travels as JSON). */
export function tryKeyItem(key: TaskTryKey): TaskTryKey {
  return { dagId: key.dagId, runId: key.runId, taskId: key.taskId, mapIndex: key.mapIndex, tryNumber: key.tryNumber };
}

/** The columns of `k` for items of type Row. */
type KColumns<Row> = { [K in keyof Row & string as `k_${K}`]: Row[K] };

/**
 * The batch as a table `k` to join: one row per item, one column per value, named `k_<value>` so
 * that no column of `k` shadows a column of the table the statement changes, and `k_rowId`, the
 * row id of the item's task instance when it meets `condition` (taking the item's values through
 * rowOfK), or null. The lookup goes by primary key behind an optimization fence (OFFSET 0).
 *
 * The UPDATE then finds its rows by row id (`joinedRow`, or `inBatch` when it needs no value of
 * the items): a TID scan of the batch's rows, which Postgres cannot misjudge, whereas a condition on
 * state let it scan every task instance in that state for each item, or hash the whole table, as
 * it does when states have no statistics worth having. A row changed by someone else since the
 * lookup has a new row id and is left alone: callers treat it as not changed, and check again by
 * key where that matters.
 *
 * The items travel as one JSON document (json_to_recordset), not as an array per value (unnest)
 * nor as an IN list: Postgres sizes unnest by the arrays it is given, and an IN list by its
 * length, so a plan made for the batch at hand always looked cheaper than the prepared generic
 * plan, and every execution was planned again, which cost more than running it. A JSON document
 * has no size the planner can see.
 */
export function batchTable<Row>(
  items: unknown,
  columns: BatchColumns<Row>,
  condition: TiCondition,
): { table: AliasedRawBuilder<KColumns<Row> & { k_rowId: unknown }, 'k'>; joinedRow: RawBuilder<SqlBool>; inBatch: RawBuilder<SqlBool> } {
  const definitions = Object.entries(columns).map(([name, type]) => sql`${sql.id(`k_${name}`)} ${sql.raw(type as string)}`);
  const values = sql`json_to_recordset(cast(${items} as json)) as k(${sql.join(definitions)})`;
  // The condition is tested on the row found, not in its WHERE: there Postgres would take a state as an index condition and scan all the run's task instances in that state for each item.
  const rowId = sql`(select case when ${condition('ti')} then ti.ctid end from task_instance ti where ti.dag_id = k."k_dagId" and ti.run_id = k."k_runId" and ti.task_id = k."k_taskId" and ti.map_index = k."k_mapIndex")`;
  const ctid = sql.ref('task_instance.ctid');
  const inBatch = sql<SqlBool>`${ctid} = any(array(select ${rowId} from ${values}))`;
  return {
    table: sql<KColumns<Row> & { k_rowId: unknown }>`(select k.*, ${rowId} as "k_rowId" from ${values} offset 0)`.as('k'),
    joinedRow: sql<SqlBool>`${inBatch} and ${ctid} = ${sql.ref('k.k_rowId')}`,
    inBatch,
  };
}

/** The items as the statement's one parameter `items`: a JSON array of objects with `k_<value>` keys. */
export function itemsParam<Row extends object>(rows: readonly Row[]): { items: string } {
  return { items: JSON.stringify(rows.map((row) => Object.fromEntries(Object.entries(row).map(([name, value]) => [`k_${name}`, value])))) };
}

/**
 * A Param for the builders of the one-row statements (startQueuedTryUpdate...): each value they
 * take becomes the matching column of the batch's row in `k`, so one rule serves both forms.
 */
export function rowOfK<Row>(): Param<Row> {
  return ((name: string) => sql.ref(`k.k_${name}`)) as unknown as Param<Row>;
}
