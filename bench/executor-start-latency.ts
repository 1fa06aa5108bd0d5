/**
 * How long a task waits for its executor: from `executor.queue(workload)` to the first line of the
 * task's own code, measured on the clock every process shares (performance.timeOrigin + now()).
 * A LocalExecutor with warm task processes on SQLite; the target is about a millisecond.
 * `isolation: 'process'` tries are measured too: they take a never-used process, which must import
 * the DAG file first.
 *   npx node bench/executor-start-latency.ts [--update-baseline]
 */
import { enableCompileCacheForProcessTree } from '../src/contracts/compile-cache.ts';
import { createExecutor } from '../src/executors/index.ts';
import type { SupervisorEvent } from '../src/worker/supervisor/index.ts';
import { createExecutorHarness } from '../test/executors/support/executor-harness.ts';
import { EventRecorder, recordingLogger } from '../test/executors/support/executor-probes.ts';
import { type Metric, reportBench } from './support/bench-result.ts';

const WARM_TRIES = 200;
const ISOLATED_TRIES = 20;
const WARM_PROCESSES = 2;

// As bin/updraft.js does for the processes it runs: the processes started here share the compile cache.
enableCompileCacheForProcessTree();
const harness = await createExecutorHarness({ UPDRAFT__CORE__PARALLELISM: String(WARM_PROCESSES) });
const spawned: SupervisorEvent[] = [];
const executor = createExecutor('LocalExecutor', {
  config: harness.config,
  api: harness.api,
  logger: recordingLogger(),
  onSupervisorEvent: (event) => event.type === 'process_spawned' && spawned.push(event),
});
const events = new EventRecorder(executor);

/** One try of `taskId` in a new run: milliseconds from queue() to the task's first line, and to its event. */
async function measure(taskId: string): Promise<{ firstLineMs: number; roundTripMs: number }> {
  const testRun = await harness.newRun();
  const workload = await testRun.queue(taskId);
  const queuedAt = performance.timeOrigin + performance.now();
  executor.queue(workload);
  const event = await events.eventFor(workload.key);
  const roundTripMs = performance.timeOrigin + performance.now() - queuedAt;
  if (event.type !== 'try_finished' || event.state !== 'success') throw new Error(`bench try ended ${JSON.stringify(event)}`);
  const firstLineAt = Number(await testRun.returnValue(taskId));
  return { firstLineMs: firstLineAt - queuedAt, roundTripMs };
}

async function series(taskId: string, tries: number): Promise<{ firstLine: number[]; roundTrip: number[] }> {
  const firstLine: number[] = [];
  const roundTrip: number[] = [];
  for (let i = 0; i < tries; i++) {
    const measured = await measure(taskId);
    firstLine.push(measured.firstLineMs);
    roundTrip.push(measured.roundTripMs);
  }
  return { firstLine, roundTrip };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

const ms = (value: number, target?: number): Metric => ({ value, unit: 'ms', lowerIsBetter: true, ...(target === undefined ? {} : { target }) });

try {
  await executor.start();
  while (spawned.length < WARM_PROCESSES) await new Promise((resolve) => setTimeout(resolve, 10));
  await series('first_line', 10); // warm-up: each warm process imports the DAG file on its first try
  const warm = await series('first_line', WARM_TRIES);
  const isolated = await series('first_line_isolated', ISOLATED_TRIES);
  reportBench('executor-start-latency', {
    warm_first_line_p50_ms: ms(percentile(warm.firstLine, 50), 1),
    warm_first_line_p95_ms: ms(percentile(warm.firstLine, 95)),
    warm_round_trip_p50_ms: ms(percentile(warm.roundTrip, 50)),
    isolated_first_line_p50_ms: ms(percentile(isolated.firstLine, 50)),
  });
} finally {
  await executor.stop({ graceful: true });
  await harness.close();
}
