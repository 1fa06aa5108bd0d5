import { UpdraftError } from '../contracts/errors.ts';

/** What became of one item of a batch. */
export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

interface Pending<Item, Result> {
  item: Item;
  resolve: (value: Result) => void;
  reject: (error: unknown) => void;
}

export interface SameTurnBatchOptions {
  /**
   * At most this many batches on their way at once; what is submitted meanwhile waits and goes
   * with the next batch. Unlimited by default: each turn's batch leaves at once.
   */
  maxInFlight?: number;
  /**
   * When `flush` throws for a batch of several items, run it again for each item alone, so that
   * one item's failure is its own. Only for a flush that writes nothing when it throws (a single
   * statement, a transaction).
   */
  retryAlone?: boolean;
  /**
   * Asked when an item arrives to an empty batch: while it says so (few items expected), the batch
   * leaves as soon as the submitting code has run to its next await (a microtask), not at the end
   * of the turn. A lone item then does not wait for the turn's other I/O, which a batch would only
   * have shared with nothing. Items that arrive while it waits still join it.
   */
  atOnce?: () => boolean;
}

/**
 * Gathers the items submitted in one turn of the event loop (the starts or ends of the tries that
 * reported together) and hands them to `flush` in one call, which settles each item. If `flush`
 * throws, every item of the batch rejects with that error. Batches run one after another in
 * submission order only as far as `flush` awaits: a new turn's batch may start while the previous
 * one is still on its way, as separate transactions do, up to `maxInFlight`.
 */
export class SameTurnBatch<Item, Result> {
  readonly #flush: (items: Item[]) => Promise<Settled<Result>[]>;
  readonly #maxInFlight: number;
  readonly #retryAlone: boolean;
  readonly #atOnce: () => boolean;
  #pending: Pending<Item, Result>[] = [];
  #flushScheduled = false;
  #inFlight = 0;

  constructor(flush: (items: Item[]) => Promise<Settled<Result>[]>, options: SameTurnBatchOptions = {}) {
    this.#flush = flush;
    this.#maxInFlight = options.maxInFlight ?? Infinity;
    this.#retryAlone = options.retryAlone ?? false;
    this.#atOnce = options.atOnce ?? (() => false);
  }

  /** Adds `item` to this turn's batch; settles as `flush` settled it. */
  submit(item: Item): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      this.#pending.push({ item, resolve, reject });
      this.#scheduleFlush();
    });
  }

  #scheduleFlush(): void {
    if (this.#flushScheduled || this.#inFlight >= this.#maxInFlight) return;
    this.#flushScheduled = true;
    if (this.#pending.length === 1 && this.#atOnce()) queueMicrotask(() => void this.#run());
    // After pending I/O: every try that reported in this turn joins the batch.
    else setImmediate(() => void this.#run());
  }

  async #run(): Promise<void> {
    this.#flushScheduled = false;
    const pending = this.#pending;
    this.#pending = [];
    this.#inFlight += 1;
    try {
      const settled = await this.#settle(pending.map((entry) => entry.item));
      pending.forEach((entry, index) => {
        const result = settled[index];
        if (result === undefined) entry.reject(new UpdraftError('INTERNAL', `A batch flush settled ${settled.length} of ${pending.length} items`));
        else if (result.ok) entry.resolve(result.value);
        else entry.reject(result.error);
      });
    } catch (error) {
      for (const entry of pending) entry.reject(error);
    } finally {
      this.#inFlight -= 1;
      if (this.#pending.length > 0) this.#scheduleFlush();
    }
  }

  async #settle(items: Item[]): Promise<Settled<Result>[]> {
    try {
      return await this.#flush(items);
    } catch (error) {
      if (!this.#retryAlone || items.length === 1) throw error;
      return Promise.all(items.map((item) => this.#alone(item)));
    }
  }

  async #alone(item: Item): Promise<Settled<Result>> {
    try {
      const [settled] = await this.#flush([item]);
      return settled ?? { ok: false, error: new UpdraftError('INTERNAL', 'A batch flush settled no item of one') };
    } catch (error) {
      return { ok: false, error };
    }
  }
}
