/**
 * Runs every benchmark one after another (they compete for the same cores if run together) and
 * passes `--update-baseline` through. Each prints its JSON and a one-line summary.
 *   npm run bench [-- --update-baseline]
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH_WORK_DIR } from './support/bench-home.ts';

const BENCHES: string[][] = [
  // First: the machine's own pace, to read the other figures by.
  ['machine-idle-wake.ts'],
  ['dags-test-chain.ts'],
  ['executor-start-latency.ts'],
  ['scheduler.ts', '--db', 'sqlite'],
  ['scheduler.ts', '--db', 'postgres'],
  ['dag-processor-cold-parse.ts'],
  ['dag-processor-new-file-latency.ts'],
  ['standalone.ts'],
  ['api.ts'],
];

const passThrough = process.argv.slice(2);
let failed = 0;
for (const [file, ...args] of BENCHES) {
  // Homes are removed once at the end, so that no benchmark creates files where thousands were just deleted.
  const result = spawnSync(process.execPath, [join(import.meta.dirname, file!), ...args, ...passThrough], {
    stdio: 'inherit',
    env: { ...process.env, UPDRAFT_BENCH_KEEP_HOMES: '1' },
  });
  if (result.status !== 0) failed += 1;
}
rmSync(BENCH_WORK_DIR, { recursive: true, force: true });
process.exitCode = failed === 0 ? 0 : 1;
