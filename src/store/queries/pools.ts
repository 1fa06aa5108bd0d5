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

async function poolsWithUsage(db: Executor, name?: string): Promise<Pool[]> {
  // Every queueing phase reads all pools: both statements are prepared (one shape each with and without a name).
  const shape = name === undefined ? 'all' : 'one';
  const params = { name: name ?? '' };
  const [{ rows: poolRows }, { rows: usageRows }] = await Promise.all([
    executePrepared(db, `pools/${shape}`, params, (db, param) => {
      const pools = db.selectFrom('slot_pool').selectAll().orderBy('pool');
      return name === undefined ? pools : pools.where('pool', '=', param('name'));
    }),
    executePrepared(db, `poolUsage/${shape}`, params, (db, param) => {
      const usage = db
        .selectFrom('task_instance')
        .select((eb) => ['pool', 'state', eb.fn.sum<number>('pool_slots').as('slots')])
        .where('state', 'in', ['running', 'queued', 'deferred'])
        .groupBy(['pool', 'state']);
      return name === undefined ? usage : usage.where('pool', '=', param('name'));
    }),
  ]);
  const used = (pool: string, state: string) => Number(usageRows.find((row) => row.pool === pool && row.state === state)?.slots ?? 0);
  return poolRows.map((row) => {
    const includeDeferred = row.include_deferred === 1;
    const runningSlots = used(row.pool, 'running');
    const queuedSlots = used(row.pool, 'queued');
    const deferredSlots = used(row.pool, 'deferred');
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
