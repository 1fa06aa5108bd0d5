/**
 * How the loop sleeps: until woken (a finished task, a notification) or until a timeout. A wake
 * that arrives while the loop is busy is kept, so the next wait returns at once and no event is lost.
 */
export class WakeSignal {
  #pending = false;
  #release: (() => void) | null = null;
  #later: NodeJS.Timeout | null = null;

  wake(): void {
    this.#cancelLater();
    if (this.#release !== null) this.#release();
    else this.#pending = true;
  }

  /**
   * Wakes the loop `ms` from now unless something wakes it sooner: for events whose work is done
   * already, which the loop should still see, but not at once (the timer does not keep the process alive).
   */
  wakeWithin(ms: number): void {
    this.#later ??= setTimeout(() => this.wake(), ms).unref();
  }

  #cancelLater(): void {
    clearTimeout(this.#later ?? undefined);
    this.#later = null;
  }

  /** Resolves `woken` when woken (now or during the wait), `timeout` when the time ran out. */
  wait(ms: number): Promise<'woken' | 'timeout'> {
    if (this.#pending) {
      this.#pending = false;
      return Promise.resolve('woken');
    }
    return new Promise((resolve) => {
      const done = (how: 'woken' | 'timeout'): void => {
        clearTimeout(timer);
        this.#release = null;
        resolve(how);
      };
      const timer = setTimeout(() => done('timeout'), Math.max(0, ms));
      this.#release = () => done('woken');
    });
  }
}
