/**
 * Bench (d): cold parse of 1,000 DAG files by the DAG processor on SQLite, from start() (parse
 * processes not started yet) until every DAG is in the store. Target (issue 3): <= 10 s.
 * Also reports where the time goes: the scan, and parsing vs store writes summed over the rounds.
 *   npx node bench/dag-processor-cold-parse.ts [--update-baseline]
 */
import { join } from 'node:path';
import { enableCompileCacheForProcessTree } from '../src/contracts/compile-cache.ts';
import { DagProcessor, type DagProcessorEvent } from '../src/dag-processor/index.ts';
import { listDags, migrate, openStore } from '../src/store/index.ts';
import { generateDagFolder } from './support/dag-processor-folder.ts';
import { type Metric, reportBench } from './support/bench-result.ts';
import { createBenchHome, removeBenchHome } from './support/bench-home.ts';

// As bin/updraft.js does for the processes it runs: the processes started here share the compile cache.
enableCompileCacheForProcessTree();
const FILES = 1000;
const home = createBenchHome('cold-parse');
const dags = generateDagFolder(FILES);
const store = await openStore({ url: `sqlite://${join(home, 'updraft.db')}`, secretKey: 'bench-secret-key' });
await migrate(store.db, { defaultPoolSlots: 128 });
const events: DagProcessorEvent[] = [];
const processor = new DagProcessor({ store, folders: [dags.folder], timeoutSeconds: 30, pausedAtCreation: false, onEvent: (event) => events.push(event) });

try {
  const started = performance.now();
  await processor.start();
  const coldMs = performance.now() - started;
  const { total } = await listDags(store.db, { limit: 1, offset: 0, active: true });
  if (total !== FILES) throw new Error(`expected ${FILES} DAGs after the cold parse, found ${total}`);
  const errors = events.filter((event) => event.type === 'error');
  if (errors.length > 0) throw new Error(`the processor reported errors: ${JSON.stringify(errors)}`);
  const scanMs = events.reduce((sum, event) => sum + (event.type === 'scanned' ? event.durationMs : 0), 0);
  const roundsMs = events.reduce((sum, event) => sum + (event.type === 'synced' ? event.durationMs : 0), 0);
  const metrics: Record<string, Metric> = {
    cold_parse_1000_files_ms: { value: coldMs, unit: 'ms', lowerIsBetter: true, target: 10_000 },
    files_per_second: { value: (FILES / coldMs) * 1000, unit: '/s', lowerIsBetter: false },
    scan_ms: { value: scanMs, unit: 'ms', lowerIsBetter: true },
    parse_and_write_rounds_ms: { value: roundsMs, unit: 'ms', lowerIsBetter: true },
  };
  reportBench('dag-processor-cold-parse', metrics);
} finally {
  await processor.stop();
  await store.close();
  dags.remove();
  removeBenchHome(home);
}
