import { UpdraftError } from '../../contracts/errors.ts';
import type { Executor } from './executor.ts';
import { executePrepared } from './prepared.ts';
import { onConflictIgnore, onConflictUpdate } from './upsert.ts';

export const DEFAULT_POOL = 'default_pool';

export interface Pool {
  name: string;
  slots: number;
  description: string | null;
  /** Whether deferred task instances occupy slots. */
  includeDeferred: boolean;
  runningSlots: number;
  queuedSlots: number;
  deferredSlots: number;
  /** running + queued (+ deferred when includeDeferred), as Airflow counts them. */
  occupiedSlots: number;
  openSlots: number;
}

export interface SetPool {
  name: string;
  slots: number;
  description?: string | null;
  includeDeferred?: boolean;
}

/** Creates default_pool with `slots` unless it exists (an existing pool keeps its slots). */
export async function ensureDefaultPool(db: Executor, slots: number): Promise<void> {
  const insert = db.insertInto('slot_pool').values({ pool: DEFAULT_POOL, slots, description: 'Default pool', include_deferred: 0 });
  await onConflictIgnore(db, insert).execute();
}

/** One pool with its slot usage, or null. */
export async function getPool(db: Executor, name: string): Promise<Pool | null> {
  return (await poolsWithUsage(db, name))[0] ?? null;
}

/** Creates or updates a pool. */
export async function setPool(db: Executor, pool: SetPool): Promise<void> {
  const values = { slots: pool.slots, description: pool.description ?? null, include_deferred: pool.includeDeferred === true ? (1 as const) : (0 as const) };
  await onConflictUpdate(db, db.insertInto('slot_pool').values({ pool: pool.name, ...values }), ['pool'], values).execute();
}

/** Deletes a pool; false when it did not exist. default_pool cannot be deleted. */
export async function deletePool(db: Executor, name: string): Promise<boolean> {
  if (name === DEFAULT_POOL) {
    throw new UpdraftError('INVALID_ARGUMENT', 'default_pool cannot be deleted', { hint: 'Change its slots instead' });
  }
  const result = await db.deleteFrom('slot_pool').where('pool', '=', name).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** Every pool with its slot usage, by name. */
export async function listPools(db: Executor): Promise<Pool[]> {
  return poolsWithUsage(db);
}

const OCCUPYING_STATES = ['running', 'queued', 'deferred'] as const;

async function poolsWithUsage(db: Executor, name?: string): Promise<Pool[]> {
  // Every queueing phase reads all pools with their usage: one prepared statement (one shape each
  // with and without a name), the usage summed through the (pool, state) index of task_instance.
  const shape = name === undefined ? 'all' : 'one';
  const { rows } = await executePrepared(db, `poolsWithUsage/${shape}`, { name: name ?? '' }, (db, param) => {
    const pools = db
      .selectFrom('slot_pool as p')
      .leftJoin('task_instance as t', (join) => join.onRef('t.pool', '=', 'p.pool').on('t.state', 'in', OCCUPYING_STATES))
      .select((eb) => {
        const slotsIn = (state: (typeof OCCUPYING_STATES)[number]) =>
          eb.fn.coalesce(eb.fn.sum<number>(eb.case().when('t.state', '=', state).then(eb.ref('t.pool_slots')).end()), eb.lit(0));
        return ['p.pool', 'p.slots', 'p.description', 'p.include_deferred', slotsIn('running').as('running_slots'), slotsIn('queued').as('queued_slots'), slotsIn('deferred').as('deferred_slots')];
      })
      .groupBy(['p.pool', 'p.slots', 'p.description', 'p.include_deferred'])
      .orderBy('p.pool');
    return name === undefined ? pools : pools.where('p.pool', '=', param('name'));
  });
  return rows.map((row) => {
    const includeDeferred = row.include_deferred === 1;
    // Sums come back as strings from Postgres (bigint) and MySQL (decimal).
    const runningSlots = Number(row.running_slots);
    const queuedSlots = Number(row.queued_slots);
    const deferredSlots = Number(row.deferred_slots);
    const occupiedSlots = runningSlots + queuedSlots + (includeDeferred ? deferredSlots : 0);
    return {
      name: row.pool,
      slots: row.slots,
      description: row.description,
      includeDeferred,
      runningSlots,
      queuedSlots,
      deferredSlots,
      occupiedSlots,
      openSlots: row.slots - occupiedSlots,
    };
  });
}
