/**
 * `updraft standalone` as a user starts it (issue 3): (e) start to ready — from spawning the process
 * to its "ready" line, target <= 2 s; (f) peak resident memory of the standalone process while it
 * runs 2,000 independent no-op tasks (target <= 200 MB), and of its task processes together.
 *   npx node bench/standalone.ts [--update-baseline]
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { getDagRun, openStore } from '../src/store/index.ts';
import { type Metric, reportBench } from './support/bench-result.ts';
import { BENCH_DAGS } from './support/scheduler-harness.ts';
import { createBenchHome, removeBenchHome } from './support/bench-home.ts';

const CLI = join(import.meta.dirname, '..', 'bin', 'updraft.js');
const home = createBenchHome('standalone');
const port = await freePort();
const env = {
  ...process.env,
  UPDRAFT_HOME: home,
  UPDRAFT__CORE__DAGS_FOLDER: BENCH_DAGS,
  UPDRAFT__CORE__LOAD_EXAMPLES: 'false',
  UPDRAFT__CORE__DAGS_ARE_PAUSED_AT_CREATION: 'false',
  UPDRAFT__CORE__SECRET_KEY: 'bench-secret-key',
  UPDRAFT__SCHEDULER__POLL_INTERVAL_SECONDS: '1',
  UPDRAFT__API__PORT: String(port),
  UPDRAFT__API__HOST: '127.0.0.1',
};

const spawned = performance.now();
// Run the bin as a user does, through its shebang (which sets Node's flags), with this Node first on PATH.
const child = spawn(CLI, ['standalone'], { env: { ...env, PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}` }, stdio: ['ignore', 'pipe', 'inherit'] });
const readyMs = await new Promise<number>((resolve, reject) => {
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    if (/ready in \d+ ms/.test(output)) resolve(performance.now() - spawned);
  });
  child.once('exit', (code) => reject(new Error(`standalone exited (${code}) before ready:\n${output}`)));
});
child.stdout.resume();

try {
  const trigger = spawnSync(process.execPath, [CLI, 'dags', 'trigger', 'bench_wide_2000', '--run-id', 'rss'], { env, encoding: 'utf8' });
  if (trigger.status !== 0) throw new Error(`trigger failed: ${trigger.stderr}`);
  const store = await openStore({ url: `sqlite://${join(home, 'updraft.db')}`, secretKey: 'bench-secret-key' });
  let peakTasksRss = 0;
  const started = performance.now();
  for (;;) {
    peakTasksRss = Math.max(peakTasksRss, descendantsRssKb(child.pid!));
    const run = await getDagRun(store.db, { dagId: 'bench_wide_2000', runId: 'rss' });
    if (run?.state === 'success' || run?.state === 'failed') break;
    if (performance.now() - started > 600_000) throw new Error('the 2,000-task run did not finish in 10 minutes');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await store.close();
  const metrics: Record<string, Metric> = {
    start_to_ready_ms: { value: readyMs, unit: 'ms', lowerIsBetter: true, target: 2000 },
    peak_rss_standalone_mb: { value: statusKb(child.pid!, 'VmHWM') / 1024, unit: 'MB', lowerIsBetter: true, target: 200 },
    peak_rss_task_processes_mb: { value: peakTasksRss / 1024, unit: 'MB', lowerIsBetter: true },
  };
  reportBench('standalone', metrics);
} finally {
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  removeBenchHome(home);
}

function statusKb(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  try {
    const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match === null ? 0 : Number(match[1]);
  } catch {
    return 0; // the process ended between listing and reading
  }
}

/** Resident memory of every process below `pid` (task processes lead their own process groups but stay its children). */
function descendantsRssKb(pid: number): number {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const parent = Number(/PPid:\s+(\d+)/.exec(readFileSync(`/proc/${entry}/status`, 'utf8'))?.[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    } catch {
      // gone meanwhile
    }
  }
  let total = 0;
  const stack = [...(children.get(pid) ?? [])];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    total += statusKb(next, 'VmRSS');
    stack.push(...(children.get(next) ?? []));
  }
  return total;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port: free } = server.address() as { port: number };
      server.close(() => resolve(free));
    });
  });
}
