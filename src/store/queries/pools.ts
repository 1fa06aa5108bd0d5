import { UpdraftError } from '../../contracts/errors.ts';
import type { Executor } from './executor.ts';
import { poolUsage } from './pool-usage.ts';
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

async function poolsWithUsage(db: Executor, name?: string): Promise<Pool[]> {
  // One prepared statement, one shape each with and without a name.
  const shape = name === undefined ? 'all' : 'one';
  const { rows } = await executePrepared(db, `poolsWithUsage/${shape}`, { name: name ?? '' }, (db, param) => {
    const pools = poolUsage(db).orderBy('p.pool');
    return name === undefined ? pools : pools.where('p.pool', '=', param('name'));
  });
  // Sums come back as strings from Postgres (bigint) and MySQL (decimal).
  return rows.map((row) => {
    const occupiedSlots = Number(row.occupied_slots);
    return {
      name: row.pool,
      slots: row.slots,
      description: row.description,
      includeDeferred: row.include_deferred === 1,
      runningSlots: Number(row.running_slots),
      queuedSlots: Number(row.queued_slots),
      deferredSlots: Number(row.deferred_slots),
      occupiedSlots,
      openSlots: row.slots - occupiedSlots,
    };
  });
}
