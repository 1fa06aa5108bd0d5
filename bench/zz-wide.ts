import { startBenchScheduler } from './support/scheduler-harness.ts';
const h = await startBenchScheduler('sqlite');
await h.runAndWait('bench_wide_20');
const t0 = performance.now();
const r = await h.runAndWait('bench_wide_2000');
console.log('wide 2000', (performance.now() - t0).toFixed(0), 'ms');
await h.stop();
