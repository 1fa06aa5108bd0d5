import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DagProcessor, type DagProcessorEvent, type DagProcessorOptions } from '../../src/dag-processor/index.ts';
import type { SyncSummary } from '../../src/dag-processor/sync-results.ts';
import { createNotifier, getDag, listImportErrors, type Dag, type ImportError } from '../../src/store/index.ts';
import { createTestStore } from '../support/databases.ts';
import { REPO_ROOT } from '../support/run-cli.ts';

/** Generated DAG folders live inside the repository (gitignored) so that `import 'updraft'` resolves. */
const SCRATCH = join(REPO_ROOT, '.updraft-test');

/** A DAG file defining one DAG with one task; `marker` changes its structure (and so its version). */
export function dagSource(dagId: string, marker = 'a'): string {
  return `import { dag, EmptyOperator } from 'updraft';
dag({ dagId: '${dagId}', schedule: null }, () => {
  new EmptyOperator({ taskId: 'task_${marker}' });
});
`;
}

export interface Harness {
  folder: string;
  store: Awaited<ReturnType<typeof createTestStore>>;
  processor: DagProcessor;
  events: DagProcessorEvent[];
  synced: SyncSummary[];
  /** `dag_parsed` wake-ups received through the store's notifier. */
  wakeUps: () => number;
  write(name: string, source: string): string;
  remove(name: string): void;
  path(name: string): string;
  start(): Promise<void>;
  /** A second processor on the same folder and store (the first must be stopped). */
  restart(): Promise<void>;
  dag(dagId: string): Promise<Dag | null>;
  importError(name: string): Promise<ImportError | undefined>;
  close(): Promise<void>;
}

/** A SQLite store, an empty DAG folder inside the repo and a processor that watches it. */
export async function createHarness(options: Partial<DagProcessorOptions> = {}): Promise<Harness> {
  mkdirSync(SCRATCH, { recursive: true });
  const folder = mkdtempSync(join(SCRATCH, 'dag-processor-'));
  const store = await createTestStore('sqlite');
  const events: DagProcessorEvent[] = [];
  const synced: SyncSummary[] = [];
  const notifier = createNotifier(store, { url: store.url });
  let wakeUps = 0;
  notifier.listen('dag_parsed', () => (wakeUps += 1));
  const build = (): DagProcessor =>
    new DagProcessor({
      store,
      folders: [folder],
      timeoutSeconds: 10,
      pausedAtCreation: false,
      // The watcher is what these tests exercise; a rescan only happens at start.
      refreshIntervalSeconds: 3600,
      onEvent: (event) => events.push(event),
      onSynced: (summary) => synced.push(summary),
      notifier,
      ...options,
    });
  const harness: Harness = {
    folder,
    store,
    processor: build(),
    events,
    synced,
    wakeUps: () => wakeUps,
    path: (name) => join(folder, name),
    write(name, source) {
      const file = join(folder, name);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, source);
      return file;
    },
    remove: (name) => rmSync(join(folder, name), { recursive: true, force: true }),
    start: () => harness.processor.start(),
    async restart() {
      harness.processor = build();
      await harness.processor.start();
    },
    dag: (dagId) => getDag(store.db, dagId),
    importError: async (name) => (await listImportErrors(store.db)).find((error) => error.filename === join(folder, name)),
    async close() {
      await harness.processor.stop();
      await notifier.close();
      await store.drop();
      rmSync(folder, { recursive: true, force: true });
    },
  };
  return harness;
}

/**
 * Polls until `check` returns a value other than undefined/null/false, or fails after `timeoutMs`. Tests
 * wait for the store to show a change; they never assert how fast it came.
 */
export async function eventually<T>(check: () => Promise<T | undefined | null | false>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== null && value !== false) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
