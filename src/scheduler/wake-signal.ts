/**
 * How the loop sleeps: until woken (a finished task, a notification) or until a timeout. A wake
 * that arrives while the loop is busy is kept, so the next wait returns at once and no event is lost.
 */
export class WakeSignal {
  #pending = false;
  #release: (() => void) | null = null;

  wake(): void {
    if (this.#release !== null) this.#release();
    else this.#pending = true;
  }

  wait(ms: number): Promise<void> {
    if (this.#pending) {
      this.#pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.#release = null;
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      this.#release = done;
    });
  }
}
