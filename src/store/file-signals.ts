import { closeSync, openSync, readFileSync, watch, writeFileSync, type FSWatcher } from 'node:fs';

/**
 * Cross-process wake-ups for a SQLite database file, which has no NOTIFY: one small file per
 * channel beside the database (`<db>-wake-<channel>`), rewritten with the sender's origin and
 * payload on each notification and watched (inotify) by the processes that listen. A listener
 * reads the latest content only, so notifications close together may arrive as one: a wake-up,
 * like a NOTIFY, not a queue (receivers re-read the store, and the scheduler's poll stays the net).
 */
export class FileSignals<Channel extends string> {
  readonly #databasePath: string;
  readonly #origin: string;
  readonly #deliver: (channel: Channel, payload: string) => void;
  readonly #watchers = new Map<Channel, FSWatcher>();

  constructor(databasePath: string, origin: string, deliver: (channel: Channel, payload: string) => void) {
    this.#databasePath = databasePath;
    this.#origin = origin;
    this.#deliver = deliver;
  }

  send(channel: Channel, payload: string): void {
    writeFileSync(this.#path(channel), JSON.stringify({ origin: this.#origin, payload }));
  }

  subscribe(channel: Channel): void {
    if (this.#watchers.has(channel)) return;
    const path = this.#path(channel);
    // Created empty if missing (never truncated: another process may have just written it).
    closeSync(openSync(path, 'a'));
    const watcher = watch(path, { persistent: false }, () => this.#read(channel));
    // A watch that breaks (the file deleted with its folder) only costs latency: the poll remains.
    watcher.on('error', () => this.#watchers.delete(channel));
    this.#watchers.set(channel, watcher);
  }

  close(): void {
    for (const watcher of this.#watchers.values()) watcher.close();
    this.#watchers.clear();
  }

  #read(channel: Channel): void {
    let signal: { origin?: unknown; payload?: unknown };
    try {
      signal = JSON.parse(readFileSync(this.#path(channel), 'utf8')) as typeof signal;
    } catch {
      // Read between the truncation and the write of a notification: its own event follows.
      return;
    }
    if (signal.origin === this.#origin) return;
    this.#deliver(channel, typeof signal.payload === 'string' ? signal.payload : '');
  }

  #path(channel: Channel): string {
    return `${this.#databasePath}-wake-${channel}`;
  }
}
