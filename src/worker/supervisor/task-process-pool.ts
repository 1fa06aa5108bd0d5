import { fileURLToPath } from 'node:url';
import { UpdraftError } from '../../contracts/errors.ts';
import type { SupervisorEventListener } from './events.ts';
import { readRssBytes } from './read-rss.ts';
import { taskProcessEnv } from './task-process-env.ts';
import { TaskProcess, type TaskProcessExit } from './task-process.ts';

export interface TaskProcessPoolOptions {
  /** Warm processes kept ready (idle plus busy `pool` processes that will come back). */
  size: number;
  /** Default: absolute path of src/worker/task-process/main.ts. */
  entry?: string;
  /** Replace a process after it has run this many tasks. */
  recycleAfterTasks: number;
  /** Replace a process whose resident memory exceeds this after a task (Linux /proc only). */
  recycleRssBytes: number;
  /** Base environment; database credentials and the secret key are removed before spawning. */
  env?: NodeJS.ProcessEnv;
  /** How long a new process may take to import its modules and say `ready`. Default 30 s. */
  readyTimeoutMs?: number;
  /** Between `shutdown` and SIGTERM, and between SIGTERM and SIGKILL, when retiring. Default 5 s. */
  shutdownGraceMs?: number;
  /**
   * Processes started beyond `size` for a burst stay warm this long after their last try, so the
   * next burst does not pay for Node's startup again. Default 60 s.
   */
  extraIdleMs?: number;
  /**
   * When every warm process is busy, a `pool` try whose turn is expected within this long (from
   * how long recent tries held their process) waits for a process to come back instead of starting
   * one; it starts one if the wait runs out. A new process costs about 0.3 s of CPU and is not
   * ready sooner than that, so short tasks are served faster by waiting. Once no try has found an
   * idle process for this long, one more is started (#growIfWaitingPersists). Default 250 ms; 0
   * never waits.
   */
  spawnWaitMs?: number;
  onEvent?: SupervisorEventListener;
}

export type Isolation = 'pool' | 'process';

const RSS_CHECK_INTERVAL_MS = 1_000;

export const DEFAULT_TASK_PROCESS_ENTRY = fileURLToPath(new URL('../task-process/main.ts', import.meta.url));

interface Waiter {
  resolve: (taskProcess: TaskProcess) => void;
  reject: (error: unknown) => void;
}

/** A try waiting for a busy process to come back; after spawnWaitMs it is resolved with null. */
interface ReleaseWaiter {
  resolve: (taskProcess: TaskProcess | null) => void;
  reject: (error: unknown) => void;
  timer: NodeJS.Timeout;
}

/**
 * Keeps task processes warm so a try starts without paying for Node's startup and module imports.
 * A process is handed to one try at a time. It goes back to the pool only when the try says it is
 * healthy and it is under both recycling limits; `process` isolation always gets a process that has
 * never run a task, and that process is retired afterwards. Whatever leaves is replaced in the
 * background, so callers never wait for a refill.
 */
export class TaskProcessPool {
  readonly #options: Required<Omit<TaskProcessPoolOptions, 'onEvent'>>;
  readonly #emit: SupervisorEventListener;
  /** Ready processes; the most recently used is at the end and is handed out first (warmest). */
  readonly #idle: TaskProcess[] = [];
  readonly #busy = new Map<TaskProcess, Isolation>();
  /** Background spawns in flight, each promised to a waiter or to #idle. */
  readonly #starting = new Set<Promise<void>>();
  readonly #waiters: Waiter[] = [];
  readonly #releaseWaiters: ReleaseWaiter[] = [];
  /** When each busy `pool` process was handed out, to learn how long tries hold one. */
  readonly #acquiredAt = new WeakMap<TaskProcess, number>();
  /** When each process's resident memory was last read. */
  readonly #rssCheckedAt = new WeakMap<TaskProcess, number>();
  /** Moving average of how long recent `pool` tries held their process; null before the first. */
  #holdMs: number | null = null;
  /** Since when every `pool` try that asked for a process found none idle; null once one does. */
  #unservedSince: number | null = null;
  /** The process started because tries kept waiting (#growIfWaitingPersists), until it is handed out. */
  #growth: Promise<void> | null = null;
  readonly #retiring = new Map<TaskProcess, Promise<TaskProcessExit>>();
  /** When each idle process last finished a try, for retiring burst extras. */
  readonly #idleSince = new WeakMap<TaskProcess, number>();
  #sweepTimer: NodeJS.Timeout | null = null;
  /** Set after a background spawn fails, so a broken entry does not spawn in a loop. */
  #refillPaused = false;
  #closed = false;

  constructor(options: TaskProcessPoolOptions) {
    requireInteger('size', options.size, 0);
    requireInteger('recycleAfterTasks', options.recycleAfterTasks, 1);
    if (!(options.recycleRssBytes > 0)) throw invalidOption('recycleRssBytes', options.recycleRssBytes);
    this.#options = {
      size: options.size,
      entry: options.entry ?? DEFAULT_TASK_PROCESS_ENTRY,
      recycleAfterTasks: options.recycleAfterTasks,
      recycleRssBytes: options.recycleRssBytes,
      env: taskProcessEnv(options.env ?? process.env),
      readyTimeoutMs: options.readyTimeoutMs ?? 30_000,
      shutdownGraceMs: options.shutdownGraceMs ?? 5_000,
      extraIdleMs: options.extraIdleMs ?? 60_000,
      spawnWaitMs: options.spawnWaitMs ?? 250,
    };
    this.#emit = options.onEvent ?? (() => undefined);
    this.#refill();
  }

  /** A ready process for one try. Give it back with release() in every case. */
  async acquire(isolation: Isolation): Promise<TaskProcess> {
    const ready = this.acquireIdle(isolation);
    if (ready !== null) return ready;
    const taskProcess = (isolation === 'pool' ? await this.#nextReleased() : null) ?? (await this.#nextStarted());
    if (this.#closed) {
      this.#retire(taskProcess, 'shutdown');
      this.#assertOpen();
    }
    return this.#checkOut(taskProcess, isolation);
  }

  /**
   * An idle process for one try, at once, or null when none is idle (acquire() then waits for one).
   * For a caller whose next step must happen in the same turn (a start joining a transaction).
   */
  acquireIdle(isolation: Isolation): TaskProcess | null {
    this.#assertOpen();
    const taskProcess = this.#takeIdle(isolation);
    if (taskProcess === undefined) return null;
    if (isolation === 'pool') this.#unservedSince = null;
    return this.#checkOut(taskProcess, isolation);
  }

  #checkOut(taskProcess: TaskProcess, isolation: Isolation): TaskProcess {
    taskProcess.tasksRun += 1;
    this.#busy.set(taskProcess, isolation);
    this.#acquiredAt.set(taskProcess, performance.now());
    this.#refill();
    return taskProcess;
  }

  /**
   * Takes a process back. `healthy: false` (it died, timed out, was killed or lost track of its
   * output) retires it for good; so do `process` isolation and the recycling limits.
   */
  release(taskProcess: TaskProcess, { healthy }: { healthy: boolean }): void {
    const isolation = this.#busy.get(taskProcess);
    if (isolation === undefined) {
      throw new UpdraftError('INVALID_ARGUMENT', `Task process ${taskProcess.pid} is not checked out of this pool`);
    }
    this.#busy.delete(taskProcess);
    if (isolation === 'pool') this.#learnHoldTime(performance.now() - (this.#acquiredAt.get(taskProcess) ?? performance.now()));
    if (!healthy || !taskProcess.alive) this.#retire(taskProcess, 'terminate');
    else if (this.#closed || isolation === 'process' || this.#recycled(taskProcess)) {
      this.#retire(taskProcess, 'shutdown');
    } else if (this.#offer(taskProcess)) {
      return;
    }
    this.#refill();
  }

  /** A ready `pool` process goes to the try that has waited longest (true), or else to #idle. */
  #offer(taskProcess: TaskProcess): boolean {
    const waiter = this.#releaseWaiters.shift();
    if (waiter !== undefined) {
      clearTimeout(waiter.timer);
      waiter.resolve(taskProcess);
      return true;
    }
    this.#idle.push(taskProcess);
    this.#idleSince.set(taskProcess, Date.now());
    if (this.#idle.length > this.#options.size) this.#scheduleSweep();
    return false;
  }

  /**
   * A busy `pool` process as soon as one comes back, when this try's turn is expected within
   * spawnWaitMs; null (start a process) when it is not, or when the wait runs out.
   */
  #nextReleased(): Promise<TaskProcess | null> {
    const busyPool = [...this.#busy.values()].filter((isolation) => isolation === 'pool').length;
    const waitMs = this.#options.spawnWaitMs;
    if (waitMs <= 0 || busyPool === 0) return Promise.resolve(null);
    // Tries ahead of this one, served by the busy processes in turn.
    const expectedMs = this.#holdMs === null ? 0 : Math.ceil((this.#releaseWaiters.length + 1) / busyPool) * this.#holdMs;
    if (expectedMs > waitMs) return Promise.resolve(null);
    this.#growIfWaitingPersists();
    return new Promise((resolve, reject) => {
      const waiter: ReleaseWaiter = {
        resolve,
        reject,
        timer: setTimeout(() => {
          this.#releaseWaiters.splice(this.#releaseWaiters.indexOf(waiter), 1);
          resolve(null);
        }, waitMs),
      };
      this.#releaseWaiters.push(waiter);
    });
  }

  /**
   * Waiting pays for a burst, whose tries each get a process back soon; a steady stream of tries
   * that the busy processes never catch up with would wait instead for as long as it lasts, every
   * try in turn, at the pace of the processes there are. Once no try has found an idle process for
   * spawnWaitMs, one more process is started, one at a time. It goes to the try that has waited
   * longest, and retires after extraIdleMs idle like any other burst extra.
   */
  #growIfWaitingPersists(): void {
    const now = performance.now();
    this.#unservedSince ??= now;
    if (this.#growth !== null || now - this.#unservedSince < this.#options.spawnWaitMs) return;
    this.#unservedSince = now;
    this.#growth = this.#spawn().then(
      (taskProcess) => {
        this.#growth = null;
        if (this.#closed) this.#retire(taskProcess, 'shutdown');
        else this.#offer(taskProcess);
      },
      () => {
        // Reported by #spawn; the waiting tries are served by the processes there are.
        this.#growth = null;
      },
    );
  }

  #learnHoldTime(heldMs: number): void {
    this.#holdMs = this.#holdMs === null ? heldMs : this.#holdMs * 0.8 + heldMs * 0.2;
  }

  /** Retires burst extras (idle processes beyond `size`) once they have been idle for extraIdleMs. */
  #scheduleSweep(): void {
    if (this.#sweepTimer !== null || this.#closed) return;
    this.#sweepTimer = setTimeout(() => {
      this.#sweepTimer = null;
      const cutoff = Date.now() - this.#options.extraIdleMs;
      // The least recently used processes sit at the front of #idle.
      while (this.#idle.length > this.#options.size && (this.#idleSince.get(this.#idle[0]!) ?? 0) <= cutoff) {
        this.#retire(this.#idle.shift()!, 'shutdown');
      }
      if (this.#idle.length > this.#options.size) this.#scheduleSweep();
    }, this.#options.extraIdleMs).unref();
  }

  /** Counts for metrics and tests. */
  stats(): { idle: number; busy: number; starting: number } {
    return { idle: this.#idle.length, busy: this.#busy.size, starting: this.#starting.size };
  }

  /** Shuts every process down (busy ones too) and waits until all have exited. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#sweepTimer !== null) clearTimeout(this.#sweepTimer);
    for (const waiter of this.#waiters.splice(0)) waiter.reject(closedError());
    for (const waiter of this.#releaseWaiters.splice(0)) {
      clearTimeout(waiter.timer);
      waiter.reject(closedError());
    }
    for (const taskProcess of this.#idle.splice(0)) this.#retire(taskProcess, 'shutdown');
    for (const taskProcess of this.#busy.keys()) this.#retire(taskProcess, 'terminate');
    await Promise.all([...this.#starting, this.#growth]);
    await Promise.all(this.#retiring.values());
  }

  #takeIdle(isolation: Isolation): TaskProcess | undefined {
    const index =
      isolation === 'pool' ? this.#idle.findLastIndex((p) => p.alive) : this.#idle.findLastIndex((p) => p.alive && p.tasksRun === 0);
    return index === -1 ? undefined : this.#idle.splice(index, 1)[0];
  }

  /** Waits for a background spawn nobody has claimed yet, or spawns one for this caller. */
  async #nextStarted(): Promise<TaskProcess> {
    if (this.#starting.size > this.#waiters.length) {
      return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }));
    }
    return this.#spawn();
  }

  #refill(): void {
    if (this.#closed || this.#refillPaused) return;
    const warmBusy = [...this.#busy.values()].filter((isolation) => isolation === 'pool').length;
    for (let warm = this.#idle.length + this.#starting.size + warmBusy; warm < this.#options.size; warm++) {
      const started: Promise<void> = this.#spawn().then(
        (taskProcess) => {
          this.#starting.delete(started);
          const waiter = this.#waiters.shift();
          if (waiter !== undefined) waiter.resolve(taskProcess);
          else if (this.#closed) this.#retire(taskProcess, 'shutdown');
          else this.#idle.push(taskProcess);
        },
        (error: unknown) => {
          this.#starting.delete(started);
          this.#refillPaused = true;
          this.#waiters.shift()?.reject(error);
        },
      );
      this.#starting.add(started);
    }
  }

  async #spawn(): Promise<TaskProcess> {
    const startedAt = performance.now();
    try {
      const taskProcess = await TaskProcess.spawn({
        entry: this.#options.entry,
        env: this.#options.env,
        readyTimeoutMs: this.#options.readyTimeoutMs,
        onStray: (pid, stream, chunk) => this.#emit({ type: 'stray_output', pid, stream, text: chunk.toString() }),
      });
      this.#refillPaused = false;
      void taskProcess.exited.then((exit) => this.#onExit(taskProcess, exit));
      this.#emit({ type: 'process_spawned', pid: taskProcess.pid, startupMs: performance.now() - startedAt });
      return taskProcess;
    } catch (error) {
      this.#emit({ type: 'process_spawn_failed', error: error instanceof Error ? error.message : String(error) });
      throw error;
    }
  }

  /** An idle process that exits is dropped and replaced; busy ones are the try's business. */
  #onExit(taskProcess: TaskProcess, exit: TaskProcessExit): void {
    const index = this.#idle.indexOf(taskProcess);
    if (index === -1) return;
    this.#idle.splice(index, 1);
    this.#emit({ type: 'process_died', pid: taskProcess.pid, key: null, exitCode: exit.exitCode, signal: exit.signal });
    this.#retire(taskProcess, 'terminate'); // reaps anything it left in its process group
    this.#refill();
  }

  #recycled(taskProcess: TaskProcess): boolean {
    const { pid, tasksRun } = taskProcess;
    if (tasksRun >= this.#options.recycleAfterTasks) {
      this.#emit({ type: 'process_recycled', pid, reason: 'tasks', tasksRun, rssBytes: null });
      return true;
    }
    // Reading /proc costs more than a short task's whole supervision; memory grows slowly enough
    // that a look per process per second catches it.
    const now = performance.now();
    if (now - (this.#rssCheckedAt.get(taskProcess) ?? Number.NEGATIVE_INFINITY) < RSS_CHECK_INTERVAL_MS) return false;
    this.#rssCheckedAt.set(taskProcess, now);
    const rssBytes = readRssBytes(pid);
    if (rssBytes !== null && rssBytes > this.#options.recycleRssBytes) {
      this.#emit({ type: 'process_recycled', pid, reason: 'rss', tasksRun, rssBytes });
      return true;
    }
    return false;
  }

  #retire(taskProcess: TaskProcess, how: 'shutdown' | 'terminate'): void {
    if (this.#retiring.has(taskProcess)) return;
    const grace = this.#options.shutdownGraceMs;
    // A process that has exited already had its grace (the try terminated it, or it died on its own):
    // whatever is left in its group is killed outright.
    const exited = how === 'shutdown' ? taskProcess.shutdown(grace) : taskProcess.terminate(taskProcess.hasExited ? 0 : grace);
    this.#retiring.set(taskProcess, exited);
    // Forget it once gone; a failure (it cannot be signalled) stays for close() to rethrow.
    exited.then(() => this.#retiring.delete(taskProcess), () => undefined);
  }

  #assertOpen(): void {
    if (this.#closed) throw closedError();
  }
}

function closedError(): UpdraftError {
  return new UpdraftError('TASK_PROCESS_POOL_CLOSED', 'The task process pool is closed');
}

function requireInteger(name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) throw invalidOption(name, value);
}

function invalidOption(name: string, value: unknown): UpdraftError {
  return new UpdraftError('INVALID_ARGUMENT', `TaskProcessPool option ${name} is invalid: ${String(value)}`, {
    details: { option: name, value },
  });
}
