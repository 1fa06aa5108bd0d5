import { CompiledQuery, type Kysely, type Transaction } from 'kysely';
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
 */
export class GroupCommit {
  readonly #db: Kysely<Database>;
  readonly #units: SameTurnBatch<Unit, unknown>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
    this.#units = new SameTurnBatch((units) => (units.length === 1 ? this.#commit(units, runAlone) : this.#runBatch(units)));
  }

  /** Runs `work` atomically in the next batch; resolves once that batch has committed. */
  run<T>(work: UnitOfWork<T>): Promise<T> {
    return this.#units.submit(work) as Promise<T>;
  }

  async #runBatch(units: Unit[]): Promise<Settled<unknown>[]> {
    try {
      return await this.#commit(units, runTogether);
    } catch (error) {
      if (!(error instanceof UnitFailed)) throw error;
      return this.#commit(units, runInSavepoints);
    }
  }

  /** One transaction of `attempt`, with a UnitBatch of its own whose afterCommit actions run once it has committed. */
  async #commit(units: Unit[], attempt: Attempt): Promise<Settled<unknown>[]> {
    const batch = new UnitBatch();
    const settled = await this.#db.transaction().execute((trx) => attempt(trx, units, batch));
    batch.committed();
    return settled;
  }
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
