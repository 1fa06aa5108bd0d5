import { stat } from 'node:fs/promises';
import { sep } from 'node:path';
import { UpdraftError } from '../contracts/errors.ts';
import { listImportErrors, type Notifier, type Store } from '../store/index.ts';
import { DagFileParser } from './dag-file-parser.ts';
import { discoverDagFiles, IGNORE_FILE, isDagFileName, isDiscoverableDagFile } from './discover-files.ts';
import { fileFingerprint } from './file-fingerprint.ts';
import { type FolderChanges, FolderWatcher } from './folder-watcher.ts';
import { ParseQueue, type QueuedFile } from './parse-queue.ts';
import { ProcessorJob } from './processor-job.ts';
import { addTo, changedAnything, forgetFiles, forgetFilesNotIn, syncParseResults, type SyncSummary } from './sync-results.ts';

export interface DagProcessorOptions {
  store: Store;
  /** DAG folders to scan and watch (core.dags_folder, plus the examples when core.load_examples). */
  folders: string[];
  /** Seconds one file may take to import (core.dag_import_timeout). */
  timeoutSeconds: number;
  /** core.dags_are_paused_at_creation. */
  pausedAtCreation: boolean;
  /** Parse processes side by side (dag_processor.parsing_processes). Default 2. */
  parsingProcesses?: number;
  /** Seconds between safety-net rescans (dag_processor.refresh_interval_seconds). Default 60. */
  refreshIntervalSeconds?: number;
  /** dag_processor.watch_debounce_ms. Default 50. */
  debounceMs?: number;
  /** dag_processor.heartbeat_seconds. Default 5. */
  heartbeatSeconds?: number;
  /** Files parsed and written per round (one store transaction each). Default 100. */
  batchSize?: number;
  /** Told `dag_parsed` after every round that changed DAGs, versions or import errors: it wakes the scheduler. */
  notifier?: Pick<Notifier, 'notify'>;
  /** Called after every round that changed DAGs, versions or import errors (in-process listeners, tests). */
  onSynced?: (summary: SyncSummary) => void;
  /** Everything the processor does, for logs and metrics. */
  onEvent?: (event: DagProcessorEvent) => void;
  now?: () => number;
}

export type DagProcessorEvent =
  | { type: 'scanned'; files: number; queued: number; durationMs: number }
  | { type: 'synced'; parsed: number; removed: number; summary: SyncSummary; durationMs: number }
  | { type: 'error'; during: 'scan' | 'sync' | 'watch' | 'heartbeat' | 'notify'; error: unknown };

/** Pause after a failed round (the store is down, say) before trying again. */
const RETRY_DELAY_MS = 2000;

/**
 * The DAG processor daemon. At start it parses every DAG file, then watches the folders and
 * re-parses only the files that changed, forgets the ones that are gone, and rescans everything
 * periodically in case the watcher missed something (editors' atomic renames, network file systems).
 *
 * Work goes through one queue drained by one loop, so the store sees one writer and a file changed
 * several times while a round runs is parsed once more, with its latest content. The watcher only
 * ever adds to the queue: parsing never blocks it.
 */
export class DagProcessor {
  readonly #options: DagProcessorOptions;
  readonly #now: () => number;
  readonly #parser: DagFileParser;
  readonly #watcher: FolderWatcher;
  readonly #queue = new ParseQueue();
  /** The fingerprint of each file as last written to the store. */
  readonly #known = new Map<string, string>();
  #state: 'new' | 'running' | 'stopping' | 'stopped' = 'new';
  #job: ProcessorJob | undefined;
  #rescanRequested = false;
  #draining: Promise<void> | null = null;
  #backingOff = false;
  #refreshTimer: NodeJS.Timeout | undefined;
  #retryTimer: NodeJS.Timeout | undefined;

  constructor(options: DagProcessorOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#parser = new DagFileParser({ timeoutSeconds: options.timeoutSeconds, concurrency: options.parsingProcesses ?? 2 });
    this.#watcher = new FolderWatcher(options.folders, {
      debounceMs: options.debounceMs ?? 50,
      onChanges: (changes) => void this.#onChanges(changes),
      onError: (error) => this.#emit({ type: 'error', during: 'watch', error }),
    });
  }

  /** Registers the processor's job, starts watching, and resolves once every file was parsed once. */
  async start(): Promise<void> {
    if (this.#state !== 'new') throw new UpdraftError('INVALID_STATE_TRANSITION', `The DAG processor cannot start: it is ${this.#state}`);
    this.#state = 'running';
    this.#job = await ProcessorJob.start(this.#options.store, {
      heartbeatSeconds: this.#options.heartbeatSeconds ?? 5,
      now: this.#now,
      onError: (error) => this.#emit({ type: 'error', during: 'heartbeat', error }),
    });
    // stop() came while the job was being registered: nothing else has started yet.
    if (this.#state !== 'running') {
      await this.#job.end('success');
      return;
    }
    // Watch before the first scan, so that nothing written during the scan goes unnoticed.
    this.#watcher.refresh();
    this.#refreshTimer = setInterval(() => this.#requestRescan(), (this.#options.refreshIntervalSeconds ?? 60) * 1000);
    this.#requestRescan();
    await this.#whenIdle();
  }

  /** Stops watching and parsing (a file being imported is abandoned), and ends the job. */
  async stop(): Promise<void> {
    if (this.#state !== 'running') return;
    this.#state = 'stopping';
    clearInterval(this.#refreshTimer);
    clearTimeout(this.#retryTimer);
    this.#watcher.close();
    await this.#parser.close();
    await this.#whenIdle();
    await this.#job?.end('success');
    this.#state = 'stopped';
  }

  #requestRescan(): void {
    this.#rescanRequested = true;
    this.#kick();
  }

  async #onChanges(changes: FolderChanges): Promise<void> {
    let rescan = changes.rescan;
    for (const path of changes.paths) {
      if (isDagFileName(path)) this.#queue.add(path, { urgent: true });
      // A folder created, moved or deleted, or an ignore file edited: many files may have changed.
      else if (path.endsWith(IGNORE_FILE) || this.#hasKnownFileUnder(path) || (await isDirectory(path))) rescan = true;
    }
    if (rescan) this.#requestRescan();
    else this.#kick();
  }

  /** Starts the drain loop unless it runs already (or the processor waits out a failure). */
  #kick(): void {
    if (this.#draining !== null || this.#backingOff || this.#state !== 'running') return;
    this.#draining = this.#drain().finally(() => {
      this.#draining = null;
      if (this.#rescanRequested || this.#queue.size > 0) this.#kick();
    });
  }

  async #whenIdle(): Promise<void> {
    while (this.#draining !== null) await this.#draining;
  }

  async #drain(): Promise<void> {
    while (this.#state === 'running') {
      if (this.#rescanRequested) {
        this.#rescanRequested = false;
        if (await this.#attempt('scan', () => this.#rescan())) continue;
        this.#rescanRequested = true;
        return;
      }
      const batch = this.#queue.take(this.#options.batchSize ?? 100);
      if (batch.length === 0) return;
      if (await this.#attempt('sync', () => this.#processBatch(batch))) continue;
      for (const { file, force } of batch) this.#queue.add(file, { urgent: false, force });
      return;
    }
  }

  /**
   * Runs one round. On failure (the store is down, say) reports it and holds the loop for a while
   * instead of spinning on the same error; returns whether the round worked.
   */
  async #attempt(during: 'scan' | 'sync', work: () => Promise<void>): Promise<boolean> {
    try {
      await work();
      return true;
    } catch (error) {
      this.#emit({ type: 'error', during, error });
      this.#backingOff = true;
      this.#retryTimer = setTimeout(() => {
        this.#backingOff = false;
        this.#kick();
      }, RETRY_DELAY_MS);
      return false;
    }
  }

  async #rescan(): Promise<void> {
    const started = performance.now();
    this.#watcher.refresh();
    const files = (await Promise.all(this.#options.folders.map(discoverDagFiles))).flat();
    const existing = new Set(files);
    const gone = [...this.#known.keys()].filter((file) => !existing.has(file));
    for (const file of gone) this.#known.delete(file);
    const summary = await forgetFilesNotIn(this.#options.store, files);
    const fingerprints = await Promise.all(files.map(fileFingerprint));
    let queued = 0;
    for (const [index, file] of files.entries()) {
      if (fingerprints[index] === this.#known.get(file)) continue;
      this.#queue.add(file, { urgent: false });
      queued += 1;
    }
    this.#emit({ type: 'scanned', files: files.length, queued, durationMs: performance.now() - started });
    await this.#afterWrite(summary, 0, gone.length, started);
  }

  async #processBatch(batch: QueuedFile[]): Promise<void> {
    const started = performance.now();
    const toParse: { file: string; cacheBust: string }[] = [];
    const gone: string[] = [];
    for (const { file, force } of batch) {
      const fingerprint = this.#isDagFile(file) ? await fileFingerprint(file) : null;
      if (fingerprint === null) gone.push(file);
      else if (force || fingerprint !== this.#known.get(file)) toParse.push({ file, cacheBust: fingerprint });
    }
    const summary = await forgetFiles(this.#options.store, gone);
    for (const file of gone) this.#known.delete(file);
    if (toParse.length > 0) {
      const now = this.#now();
      const results = await this.#parser.parse(toParse);
      // Stopped mid-parse: the parser killed its processes, and that is not the files' fault.
      if (this.#state !== 'running') return;
      addTo(summary, await syncParseResults(this.#options.store, results, { now, pausedAtCreation: this.#options.pausedAtCreation }));
      for (const { file, cacheBust } of toParse) this.#known.set(file, cacheBust);
    }
    await this.#afterWrite(summary, toParse.length, gone.length, started);
  }

  async #afterWrite(summary: SyncSummary, parsed: number, removed: number, started: number): Promise<void> {
    if (parsed > 0 || removed > 0) this.#emit({ type: 'synced', parsed, removed, summary, durationMs: performance.now() - started });
    if (changedAnything(summary)) {
      this.#options.onSynced?.(summary);
      // A lost wake-up only delays the scheduler until its next poll: report it, do not fail the round.
      await this.#options.notifier?.notify('dag_parsed').catch((error: unknown) => this.#emit({ type: 'error', during: 'notify', error }));
    }
    // A deactivated DAG id may be what kept another file from registering it (DAG_DUPLICATE_ID):
    // parse those files again now that the id is free, e.g. when a DAG moved from one file to another.
    if (summary.deactivatedDagIds.length > 0) {
      for (const error of await listImportErrors(this.#options.store.db)) {
        if (error.code === 'DAG_DUPLICATE_ID' && this.#isDagFile(error.filename)) this.#queue.add(error.filename, { urgent: true, force: true });
      }
    }
  }

  #isDagFile(file: string): boolean {
    return this.#options.folders.some((folder) => isDiscoverableDagFile(folder, file));
  }

  #hasKnownFileUnder(path: string): boolean {
    const prefix = `${path}${sep}`;
    for (const file of this.#known.keys()) if (file.startsWith(prefix)) return true;
    return false;
  }

  #emit(event: DagProcessorEvent): void {
    this.#options.onEvent?.(event);
  }
}

async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null))?.isDirectory() ?? false;
}
