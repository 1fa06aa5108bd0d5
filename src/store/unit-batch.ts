import type { Transaction } from 'kysely';
import type { Database } from './schema.ts';

/** A write that takes the items of many units of work and makes them in one go (a multi-row insert...). */
export interface BatchWrite<Item> {
  /** `batch` is the batch being written, for work that must wait for its commit (afterCommit). */
  run(trx: Transaction<Database>, items: Item[], batch: UnitBatch): Promise<void>;
}

/**
 * What the units of one group-commit batch share. A read that every unit would make alike (the
 * run of the tries that start together) is made once, and writes that do not decide a unit's
 * outcome (the row of a try that starts, the end of a try row) are gathered and made together, in
 * the same transaction, before it commits.
 */
export class UnitBatch {
  readonly #reads = new Map<string, Promise<unknown>>();
  readonly #writes = new Map<BatchWrite<never>, unknown[]>();
  readonly #afterCommit: (() => void)[] = [];
  /** How many afterCommit actions came with writes already made: a discard keeps those. */
  #keptActions = 0;

  /** `read()` once per batch and `key`; a read that fails is made again by the next unit that asks. */
  once<T>(key: string, read: () => Promise<T>): Promise<T> {
    let pending = this.#reads.get(key) as Promise<T> | undefined;
    if (pending === undefined) {
      pending = read();
      this.#reads.set(key, pending);
      pending.catch(() => this.#reads.delete(key));
    }
    return pending;
  }

  /** Adds `item` to `write`, made for the whole batch when its units are done. */
  later<Item>(write: BatchWrite<Item>, item: Item): void {
    const items = this.#writes.get(write as BatchWrite<never>);
    if (items === undefined) this.#writes.set(write as BatchWrite<never>, [item]);
    else items.push(item);
  }

  /**
   * Calls `action` once the batch's transaction has committed, before its units settle; never if it
   * rolls back. The action must not throw: the batch is already committed.
   */
  afterCommit(action: () => void): void {
    this.#afterCommit.push(action);
  }

  /** Forgets the writes, and the actions, gathered since the last write: the unit that asked for them failed (its savepoint rolled back). */
  discard(): void {
    this.#writes.clear();
    this.#afterCommit.length = this.#keptActions;
  }

  /** Makes the gathered writes (in the order they were first asked for) and forgets them. */
  async write(trx: Transaction<Database>): Promise<void> {
    const writes = [...this.#writes];
    this.#writes.clear();
    for (const [write, items] of writes) await (write as BatchWrite<unknown>).run(trx, items, this);
    this.#keptActions = this.#afterCommit.length;
  }

  /** The transaction committed: runs the afterCommit actions. */
  committed(): void {
    for (const action of this.#afterCommit.splice(0)) action();
  }
}
