import type { UpdraftConfig } from '../config/index.ts';
import type { Executor as DbExecutor, Store } from '../store/index.ts';
import type { SchedulerEvent } from './scheduler-events.ts';

/** What every phase of a loop iteration works with. */
export interface PhaseContext {
  store: Store;
  config: UpdraftConfig;
  /** The instant the decision is made at (the injected clock's reading). */
  now: number;
  /**
   * Where a phase runs its work atomically (store.inTransaction): the store's database, for a
   * transaction of its own, or the iteration's transaction when the scheduler runs several phases
   * in one (see Scheduler).
   */
  db: DbExecutor;
}

/**
 * Events of a phase wait here until its transaction has committed: an event must never announce
 * a change that was rolled back.
 */
export class PendingEvents {
  readonly #events: SchedulerEvent[] = [];

  push(event: SchedulerEvent): void {
    this.#events.push(event);
  }

  some(predicate: (event: SchedulerEvent) => boolean): boolean {
    return this.#events.some(predicate);
  }

  get count(): number {
    return this.#events.length;
  }

  flush(emit: (event: SchedulerEvent) => void): void {
    for (const event of this.#events.splice(0)) emit(event);
  }
}
