import { serializeError } from '../contracts/errors.ts';
import type { ExecutorEvent, ExecutorEventListener } from './executor.ts';
import type { ExecutorLogger } from './executor-logger.ts';

/**
 * The listeners of one executor. A listener that throws is logged and the others still hear the
 * event: the executor's own bookkeeping must never be cut short by code it called back.
 */
export class ExecutorEventHub {
  readonly #listeners = new Set<ExecutorEventListener>();
  readonly #logger: ExecutorLogger;

  constructor(logger: ExecutorLogger) {
    this.#logger = logger;
  }

  add(listener: ExecutorEventListener): () => void {
    // A wrapper per registration, so the same function added twice is also removed one at a time.
    const registered: ExecutorEventListener = (event) => listener(event);
    this.#listeners.add(registered);
    return () => this.#listeners.delete(registered);
  }

  emit(event: ExecutorEvent): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(event);
      } catch (error) {
        this.#logger.error({ err: serializeError(error), event }, 'An executor event listener threw');
      }
    }
  }
}
