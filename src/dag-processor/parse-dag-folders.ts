import type { Store } from '../store/index.ts';
import { DagFileParser } from './dag-file-parser.ts';
import { discoverDagFiles } from './discover-files.ts';
import { fileFingerprint } from './file-fingerprint.ts';
import type { FileParseResult } from './parse-protocol.ts';
import { type SyncSummary, syncParseResults } from './sync-results.ts';

export interface ParseFoldersOptions {
  folders: string[];
  /** Parse only these files instead of everything in the folders. */
  files?: string[];
  timeoutSeconds: number;
  pausedAtCreation: boolean;
  now?: () => number;
}

export interface ParseFoldersOutcome {
  results: FileParseResult[];
  summary: SyncSummary;
}

/**
 * One-shot parse of DAG folders into the store: what `dags test`, `dags list` and the tests use. The
 * DAG processor daemon keeps a parser warm and re-parses only what changed.
 */
export async function parseDagFoldersIntoStore(store: Store, options: ParseFoldersOptions): Promise<ParseFoldersOutcome> {
  const files = options.files ?? (await Promise.all(options.folders.map(discoverDagFiles))).flat();
  const requests = await Promise.all(files.map(async (file) => ({ file, cacheBust: (await fileFingerprint(file)) ?? 'missing' })));
  const parser = new DagFileParser({ timeoutSeconds: options.timeoutSeconds, concurrency: 2 });
  try {
    const results = await parser.parse(requests);
    const summary = await syncParseResults(store, results, { now: (options.now ?? Date.now)(), pausedAtCreation: options.pausedAtCreation });
    return { results, summary };
  } finally {
    await parser.close();
  }
}
