import { type FSWatcher, watch } from 'node:fs';
import { join, sep } from 'node:path';
import { IGNORE_FILE, isSkippedEntry } from './discover-files.ts';

/** One burst of file system events, collected over the debounce window. */
export interface FolderChanges {
  /** Absolute paths that were created, changed, renamed or deleted (files or folders). */
  paths: Set<string>;
  /** Some event named no path, or a watcher failed: only a full rescan can tell what changed. */
  rescan: boolean;
}

export interface FolderWatcherOptions {
  /** Events arriving within this many milliseconds of the first one of a burst are handled together. */
  debounceMs: number;
  onChanges: (changes: FolderChanges) => void;
  onError: (error: Error, folder: string) => void;
}

/**
 * Watches folders recursively (`fs.watch` with `recursive`, native on Linux since Node 20) and hands
 * over changed paths in debounced bursts, so that an editor's save (often several events) or a copy
 * of many files becomes one batch. Hidden paths and node_modules are dropped here: editors and git
 * write there all the time and they never hold DAG files.
 *
 * A folder that does not exist yet or whose watcher failed is retried by `refresh()`; the caller's
 * periodic rescan calls it.
 */
export class FolderWatcher {
  readonly #folders: string[];
  readonly #options: FolderWatcherOptions;
  readonly #watchers = new Map<string, FSWatcher>();
  #pending: FolderChanges = { paths: new Set(), rescan: false };
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(folders: readonly string[], options: FolderWatcherOptions) {
    this.#folders = [...folders];
    this.#options = options;
  }

  /** Starts watching every folder not watched yet; returns the folders that are watched now. */
  refresh(): string[] {
    if (this.#closed) return [];
    for (const folder of this.#folders) {
      if (this.#watchers.has(folder)) continue;
      try {
        const watcher = watch(folder, { recursive: true }, (_event, filename) => this.#onEvent(folder, filename));
        watcher.on('error', (error) => this.#onWatcherError(folder, error));
        this.#watchers.set(folder, watcher);
      } catch (error) {
        // A missing folder is normal (nothing to parse yet); anything else is worth reporting.
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.#options.onError(error as Error, folder);
      }
    }
    return [...this.#watchers.keys()];
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    for (const watcher of this.#watchers.values()) watcher.close();
    this.#watchers.clear();
  }

  #onEvent(folder: string, filename: string | null): void {
    if (filename === null) {
      this.#pending.rescan = true;
    } else if (!isInSkippedEntry(filename)) {
      this.#pending.paths.add(join(folder, filename));
    }
    this.#timer ??= setTimeout(() => this.#flush(), this.#options.debounceMs);
  }

  #onWatcherError(folder: string, error: Error): void {
    this.#watchers.get(folder)?.close();
    this.#watchers.delete(folder);
    this.#options.onError(error, folder);
    this.#pending.rescan = true;
    this.#timer ??= setTimeout(() => this.#flush(), this.#options.debounceMs);
  }

  #flush(): void {
    this.#timer = undefined;
    const changes = this.#pending;
    this.#pending = { paths: new Set(), rescan: false };
    if (!this.#closed && (changes.rescan || changes.paths.size > 0)) this.#options.onChanges(changes);
  }
}

/** Whether a path (relative to a watched folder) lies in an entry discovery skips; ignore files count. */
function isInSkippedEntry(relativePath: string): boolean {
  const segments = relativePath.split(sep);
  const name = segments.pop() ?? '';
  return segments.some(isSkippedEntry) || (isSkippedEntry(name) && name !== IGNORE_FILE);
}
