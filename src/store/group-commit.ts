import { CompiledQuery, type Kysely, type Transaction } from 'kysely';
import { UpdraftError } from '../contracts/errors.ts';
import { runTransaction } from './queries/executor.ts';
import type { Database } from './schema.ts';
import { SameTurnBatch, type Settled } from './same-turn-batch.ts';
import { UnitBatch } from './unit-batch.ts';

/** A unit of work: its writes and reads in the batch's transaction, and what it shares with the batch. */
export type UnitOfWork<T> = (trx: Transaction<Database>, batch: UnitBatch) => Promise<T>;

type Unit = UnitOfWork<unknown>;

const SAVEPOINT = CompiledQuery.raw('savepoint unit_of_work');
const ROLLBACK_TO_SAVEPOINT = CompiledQuery.raw('rollback to savepoint unit_of_work');
const RELEASE_SAVEPOINT = CompiledQuery.raw('release savepoint unit_of_work');

/**
 * Group commit: units of work submitted in the same turn of the event loop (the starts and ends of
 * many concurrent tries) run in one transaction, each inside a savepoint of its own. A unit that
 * throws rolls back to its savepoint and rejects alone; the others commit together. A commit costs
 * more than the keyed writes of a try, so one commit for a batch is what lets one supervisor host
 * record hundreds of tries a second. If the commit itself fails, every unit of the batch rejects
 * with that error, exactly as if each had run in its own failed transaction. The units of a batch
 * share a UnitBatch: reads made once for all of them, writes gathered and made together.
 *
 * A savepoint and its release are two more statements per unit, round trips on Postgres and MySQL,
 * and units almost never fail. So a batch first runs without them; only if a unit throws is it rolled
 * back and run again with a savepoint per unit (units are transactions: running one again is safe).
 *
 * A batch's writes may hand work over that comes back as units at once (joinWhile: the starts of
 * the tries a follow-up queued). Those units join the batch's transaction, after its own units, each
 * in a savepoint, and commit with it: they cost no transaction and no turn of the event loop.
 */
export class GroupCommit {
  readonly #db: Kysely<Database>;
  readonly #units: SameTurnBatch<Unit, unknown>;
  /** The units joining a batch while its joinWhile action runs (synchronously); null otherwise. */
  #joining: Joined[] | null = null;
  /** The joining units of each batch whose transaction is open. */
  readonly #joinedBy = new WeakMap<UnitBatch, Joined[]>();

  /** `atOnce`: see SameTurnBatchOptions; while it says so, a unit that finds no batch forming does not wait for the end of the turn. */
  constructor(db: Kysely<Database>, options: { atOnce?: () => boolean } = {}) {
    this.#db = db;
    this.#units = new SameTurnBatch((units) => (units.length === 1 ? this.#commit(units, runAlone) : this.#runBatch(units)), options);
  }

  /**
   * Runs `work` atomically in the next batch; resolves once that batch has committed. Submitted
   * from a joinWhile action, it runs in that action's batch instead.
   */
  run<T>(work: UnitOfWork<T>): Promise<T> {
    const joining = this.#joining;
    if (joining === null) return this.#units.submit(work) as Promise<T>;
    return new Promise<T>((resolve, reject) => joining.push({ work, resolve: resolve as (value: unknown) => void, reject }));
  }

  /**
   * Calls `action` from a write of `batch` (a batch of this group commit whose transaction is open):
   * the units it submits with run() before its first await join that transaction, and settle as it
   * does. Resolves when `action` has.
   */
  async joinWhile(batch: UnitBatch, action: () => Promise<void>): Promise<void> {
    const joined = this.#joinedBy.get(batch);
    if (joined === undefined || this.#joining !== null) {
      throw new UpdraftError('INTERNAL', 'joinWhile needs a batch of this group commit that is writing, and no other joinWhile in progress');
    }
    this.#joining = joined;
    let done: Promise<void>;
    try {
      done = action();
    } finally {
      this.#joining = null;
    }
    await done;
  }

  async #runBatch(units: Unit[]): Promise<Settled<unknown>[]> {
    try {
      return await this.#commit(units, runTogether);
    } catch (error) {
      if (!(error instanceof UnitFailed)) throw error;
      return this.#commit(units, runInSavepoints);
    }
  }

  /**
   * One transaction of `attempt` and of the units that joined it, with a UnitBatch of its own whose
   * afterCommit actions run once it has committed. The joined units settle with the transaction:
   * after those actions, or with its error when it rolls back.
   */
  async #commit(units: Unit[], attempt: Attempt): Promise<Settled<unknown>[]> {
    const batch = new UnitBatch();
    const joined: Joined[] = [];
    this.#joinedBy.set(batch, joined);
    let settled: Settled<unknown>[];
    let joinedSettled: Settled<unknown>[] = [];
    try {
      settled = await runTransaction(this.#db, async (trx) => {
        const own = await attempt(trx, units, batch);
        joinedSettled = await runInSavepoints(trx, joined.map((unit) => unit.work), batch);
        return own;
      });
    } catch (error) {
      const cause = error instanceof UnitFailed ? new UpdraftError('INTERNAL', 'The batch this unit joined was rolled back') : error;
      for (const unit of joined) unit.reject(cause);
      throw error;
    } finally {
      this.#joinedBy.delete(batch);
    }
    try {
      batch.committed();
    } finally {
      joined.forEach((unit, index) => settle(unit, joinedSettled[index]));
    }
    return settled;
  }
}

/** A unit that joined a batch's transaction (joinWhile), with the promise run() gave for it. */
interface Joined {
  work: Unit;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

function settle(unit: Joined, result: Settled<unknown> | undefined): void {
  if (result === undefined) unit.reject(new UpdraftError('INTERNAL', 'A joined unit of a batch was not run'));
  else if (result.ok) unit.resolve(result.value);
  else unit.reject(result.error);
}

/** One way to run a batch's units in a transaction. */
type Attempt = (trx: Transaction<Database>, units: Unit[], batch: UnitBatch) => Promise<Settled<unknown>[]>;

/** A batch of one needs no savepoint: its error rolls back the whole transaction, which is all of it. */
async function runAlone(trx: Transaction<Database>, [unit]: Unit[], batch: UnitBatch): Promise<Settled<unknown>[]> {
  const value = await unit!(trx, batch);
  await batch.write(trx);
  return [{ ok: true, value }];
}

/** Thrown out of an optimistic batch when one of its units throws: the batch rolls back. */
class UnitFailed extends Error {}

/** Every unit with no savepoint, then their batch writes; throws UnitFailed (to roll back) as soon as one throws. */
async function runTogether(trx: Transaction<Database>, units: Unit[], batch: UnitBatch): Promise<Settled<unknown>[]> {
  const settled: Settled<unknown>[] = [];
  try {
    for (const unit of units) settled.push({ ok: true, value: await unit(trx, batch) });
    await batch.write(trx);
  } catch {
    throw new UnitFailed();
  }
  return settled;
}

/** Each unit with its batch writes in a savepoint of its own, so that one unit's failure is its own. */
async function runInSavepoints(trx: Transaction<Database>, units: Unit[], batch: UnitBatch): Promise<Settled<unknown>[]> {
  const settled: Settled<unknown>[] = [];
  for (const unit of units) {
    await trx.executeQuery(SAVEPOINT);
    try {
      const value = await unit(trx, batch);
      await batch.write(trx);
      settled.push({ ok: true, value });
    } catch (error) {
      batch.discard();
      await trx.executeQuery(ROLLBACK_TO_SAVEPOINT);
      settled.push({ ok: false, error });
    }
    await trx.executeQuery(RELEASE_SAVEPOINT);
  }
  return settled;
}
