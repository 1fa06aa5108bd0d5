import { CompiledQuery, type Kysely, type Transaction } from 'kysely';
import type { Database } from './schema.ts';

interface Unit {
  work: (trx: Transaction<Database>) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type Settled = { ok: true; value: unknown } | { ok: false; error: unknown };

const SAVEPOINT = CompiledQuery.raw('savepoint unit_of_work');
const ROLLBACK_TO_SAVEPOINT = CompiledQuery.raw('rollback to savepoint unit_of_work');
const RELEASE_SAVEPOINT = CompiledQuery.raw('release savepoint unit_of_work');

/**
 * Group commit: units of work submitted in the same turn of the event loop (the starts and ends of
 * many concurrent tries) run in one transaction, each inside a savepoint of its own. A unit that
 * throws rolls back to its savepoint and rejects alone; the others commit together. A commit costs
 * more than the keyed writes of a try, so one commit for a batch is what lets one supervisor host
 * record hundreds of tries a second. If the commit itself fails, every unit of the batch rejects
 * with that error, exactly as if each had run in its own failed transaction.
 */
export class GroupCommit {
  readonly #db: Kysely<Database>;
  #pending: Unit[] = [];
  #flushScheduled = false;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /** Runs `work` atomically in the next batch; resolves once that batch has committed. */
  run<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#pending.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (this.#flushScheduled) return;
      this.#flushScheduled = true;
      // After pending I/O: every try that reported in this turn joins the batch.
      setImmediate(() => void this.#flush());
    });
  }

  async #flush(): Promise<void> {
    this.#flushScheduled = false;
    const units = this.#pending;
    this.#pending = [];
    let settled: Settled[];
    try {
      settled = await this.#db.transaction().execute((trx) => (units.length === 1 ? runAlone(trx, units[0]!) : runInSavepoints(trx, units)));
    } catch (error) {
      for (const unit of units) unit.reject(error);
      return;
    }
    settled.forEach((result, index) => (result.ok ? units[index]!.resolve(result.value) : units[index]!.reject(result.error)));
  }
}

/** A batch of one needs no savepoint: its error rolls back the whole transaction, which is all of it. */
async function runAlone(trx: Transaction<Database>, unit: Unit): Promise<Settled[]> {
  return [{ ok: true, value: await unit.work(trx) }];
}

async function runInSavepoints(trx: Transaction<Database>, units: Unit[]): Promise<Settled[]> {
  const settled: Settled[] = [];
  for (const unit of units) {
    await trx.executeQuery(SAVEPOINT);
    try {
      settled.push({ ok: true, value: await unit.work(trx) });
    } catch (error) {
      await trx.executeQuery(ROLLBACK_TO_SAVEPOINT);
      settled.push({ ok: false, error });
    }
    await trx.executeQuery(RELEASE_SAVEPOINT);
  }
  return settled;
}
