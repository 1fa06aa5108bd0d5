/** A file waiting to be parsed; `force` parses it even when its content did not change. */
export interface QueuedFile {
  file: string;
  force: boolean;
}

/**
 * The DAG processor's to-do list. Adding a file that is already waiting coalesces the two requests,
 * so a burst of changes to one file costs one parse. Files the watcher reported go before the
 * backlog of a full scan: a user who just saved a file should not wait behind a thousand others.
 */
export class ParseQueue {
  readonly #urgent = new Map<string, boolean>();
  readonly #backlog = new Map<string, boolean>();

  add(file: string, options: { urgent: boolean; force?: boolean }): void {
    const force = (options.force ?? false) || this.#urgent.get(file) === true || this.#backlog.get(file) === true;
    if (options.urgent || this.#urgent.has(file)) {
      this.#backlog.delete(file);
      this.#urgent.set(file, force);
    } else {
      this.#backlog.set(file, force);
    }
  }

  /** Removes and returns up to `limit` files, urgent ones first, each in the order it was added. */
  take(limit: number): QueuedFile[] {
    const taken: QueuedFile[] = [];
    for (const source of [this.#urgent, this.#backlog]) {
      for (const [file, force] of source) {
        if (taken.length >= limit) return taken;
        source.delete(file);
        taken.push({ file, force });
      }
    }
    return taken;
  }

  get size(): number {
    return this.#urgent.size + this.#backlog.size;
  }
}
