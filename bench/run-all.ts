/**
 * Runs every benchmark one after another (they compete for the same cores if run together) and
 * passes `--update-baseline` through. Each prints its JSON and a one-line summary.
 *   npm run bench [-- --update-baseline]
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const BENCHES: string[][] = [
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
  const result = spawnSync(process.execPath, [join(import.meta.dirname, file!), ...args, ...passThrough], { stdio: 'inherit' });
  if (result.status !== 0) failed += 1;
}
process.exitCode = failed === 0 ? 0 : 1;
