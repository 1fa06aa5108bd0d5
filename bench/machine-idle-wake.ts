/**
 * A probe of the machine, not of Updraft: the round trip of one IPC message between two Node
 * processes, hot and after 30 ms of idleness (a fib(33) task's length), and the time one CPU takes
 * for fib(30). Every chain step pays two such wake-ups after its task's pause (ADR 0016), so these
 * figures are the floor under the scheduler benchmark's fib(33) overhead, and tell a slow machine
 * from a slower Updraft.
 *   npx node bench/machine-idle-wake.ts [--update-baseline]
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { type Metric, reportBench } from './support/bench-result.ts';

const ECHO = 'echo';
const SAMPLES = 41;
const IDLE_MS = 30;

function fib(n: number): number {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

/** The median time of fib(30) on this process's CPU: the host's pace for plain computation. */
function computeMs(): number {
  const samples: number[] = [];
  for (let i = 0; i < 9; i += 1) {
    const started = performance.now();
    fib(30);
    samples.push(performance.now() - started);
  }
  return samples.sort((a, b) => a - b)[4]!;
}

if (process.argv[2] === ECHO) {
  process.on('message', (message) => process.send!(message));
} else {
  const child = fork(import.meta.filename, [ECHO]);
  const roundTrip = async (): Promise<number> => {
    const started = performance.now();
    const answered = once(child, 'message');
    child.send({ at: started });
    await answered;
    return performance.now() - started;
  };
  const median = async (pauseMs: number): Promise<number> => {
    const samples: number[] = [];
    for (let i = 0; i < SAMPLES; i += 1) {
      if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
      samples.push(await roundTrip());
    }
    return samples.sort((a, b) => a - b)[Math.floor(SAMPLES / 2)]!;
  };
  try {
    await median(0); // warm-up: the child's start and the first messages
    const metrics: Record<string, Metric> = {
      ipc_round_trip_hot_ms: { value: await median(0), unit: 'ms', lowerIsBetter: true },
      ipc_round_trip_after_idle_ms: { value: await median(IDLE_MS), unit: 'ms', lowerIsBetter: true },
      fib30_compute_ms: { value: computeMs(), unit: 'ms', lowerIsBetter: true },
    };
    reportBench('machine-idle-wake', metrics);
  } finally {
    child.kill();
  }
}
