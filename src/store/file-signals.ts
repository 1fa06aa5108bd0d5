import { closeSync, constants, openSync, readFileSync, watch, writeSync, type FSWatcher } from 'node:fs';

/**
 * Cross-process wake-ups for a SQLite database file, which has no NOTIFY: one small file per
 * channel beside the database (`<db>-wake-<channel>`), overwritten with the sender's origin and
 * payload on each notification and watched (inotify) by the processes that listen. A listener
 * reads the latest content only, so notifications close together may arrive as one: a wake-up,
 * like a NOTIFY, not a queue (receivers re-read the store, and the scheduler's poll stays the net).
 *
 * A signal is one line written at the start of the file through a descriptor kept open: a
 * truncating rewrite costs 150 µs here against 2 µs for the write, and a trigger pays it before the
 * scheduler in the same process runs. An older, longer signal may remain after the line's end;
 * readers take the first line only (JSON never holds a raw newline).
 */
export class FileSignals<Channel extends string> {
  readonly #databasePath: string;
  readonly #origin: string;
  readonly #deliver: (channel: Channel, payload: string) => void;
  readonly #watchers = new Map<Channel, FSWatcher>();
  readonly #descriptors = new Map<Channel, number>();

  constructor(databasePath: string, origin: string, deliver: (channel: Channel, payload: string) => void) {
    this.#databasePath = databasePath;
    this.#origin = origin;
    this.#deliver = deliver;
  }

  send(channel: Channel, payload: string): void {
    let fd = this.#descriptors.get(channel);
    if (fd === undefined) {
      // Not O_APPEND, with which every write would land at the end; not O_TRUNC, which a listener could read between.
      fd = openSync(this.#path(channel), constants.O_WRONLY | constants.O_CREAT);
      this.#descriptors.set(channel, fd);
    }
    writeSync(fd, `${JSON.stringify({ origin: this.#origin, payload })}\n`, 0);
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
    for (const fd of this.#descriptors.values()) closeSync(fd);
    this.#descriptors.clear();
  }

  #read(channel: Channel): void {
    let signal: { origin?: unknown; payload?: unknown };
    try {
      const content = readFileSync(this.#path(channel), 'utf8');
      const end = content.indexOf('\n');
      if (end < 0) return;
      signal = JSON.parse(content.slice(0, end)) as typeof signal;
    } catch {
      // Read in the middle of a write (or before the first): the write's own event follows.
      return;
    }
    if (signal.origin === this.#origin) return;
    this.#deliver(channel, typeof signal.payload === 'string' ? signal.payload : '');
  }

  #path(channel: Channel): string {
    return `${this.#databasePath}-wake-${channel}`;
  }
}
