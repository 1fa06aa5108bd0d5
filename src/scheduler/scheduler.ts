import { hostname as osHostname } from 'node:os';
import type { UpdraftConfig } from '../config/index.ts';
import { serializeError } from '../contracts/errors.ts';
import { isFinishedTiState } from '../contracts/states.ts';
import { tryIdOf } from '../contracts/task-instance.ts';
import { countActiveTries, type Executor } from '../executors/executor.ts';
import {
  analyzeNewHistoryTables,
  endJob,
  heartbeatJob,
  inSavepoint,
  nextSchedulingDeadline,
  startJob,
  type Notifier,
  type Store,
  type TryEndsFollowUp,
} from '../store/index.ts';
import { createRunsPhase, type PhaseResult } from './create-runs-phase.ts';
import { checkLiveness, SCHEDULER_JOB_TYPE } from './liveness.ts';
import type { PendingEvents, PhaseContext } from './phase-context.ts';
import { handOver, queuePhase, type HandOverContext, type QueuePhaseOptions } from './queue-phase.ts';
import { distinctRuns, scheduleAndQueue, type ScheduledAndQueued } from './schedule-and-queue.ts';
import { scheduleRunsPhase } from './schedule-runs-phase.ts';
import type { SchedulerEvent, SchedulerEventListener, SchedulerPhase } from './scheduler-events.ts';
import { WakeSignal } from './wake-signal.ts';

/** The shortest sleep between quiet iterations, so a deadline at the current instant cannot spin the loop. */
const MIN_SLEEP_MS = 20;
/**
 * Tries in flight from which the loop waits COALESCE_MS for more to end before it iterates, and
 * from which try ends are no longer followed up in their own transaction (followUpTryEnds): with
 * that many, batching is worth more than the latency of one try.
 */
const COALESCE_MIN_ACTIVE_TRIES = 4;
const COALESCE_MS = 1;
/** Between loops while more running runs wait for a decision than one phase claims (Airflow's idle sleep). */
const FULL_BATCH_SLEEP_MS = 1_000;
/**
 * After handing tries over, how long the loop waits for a wake-up before it reads its deadlines to
 * sleep on: short tries end within it, and the loop goes on without that query (on Postgres, a
 * round trip in every loop of a busy scheduler).
 */
const DEADLINE_READ_DELAY_MS = 10;
/**
 * The longest the run-creation phase waits while events keep the loop busy: a loop that is always
 * woken before its deadline never times out, and a cron DAG would get no run until something else
 * (a run ending, a trigger) called for the phase.
 */
const RUN_CREATION_MAX_GAP_MS = 1_000;
/**
 * How soon the loop looks after a try whose end a follow-up handled (followUpTryEnds): the work is
 * done, but a later run may depend on this one (dependsOnPast) or a retry may need its deadline read.
 * Not at once: in a chain, that look would compete with the next task's start.
 */
const FOLLOWED_UP_WAKE_MS = 10;

export interface SchedulerOptions {
  store: Store;
  config: UpdraftConfig;
  /** The executors this scheduler hands work to, by name; it starts and stops them. Must include core.executor. */
  executors: readonly Executor[];
  /** Cross-process wake-ups (dag_parsed, run_triggered, ti_finished). Optional: the poll is the safety net. */
  notifier?: Notifier;
  /** The clock decisions use; tests inject one. Default Date.now. */
  now?: () => number;
  onEvent?: SchedulerEventListener;
  hostname?: string;
  pid?: number;
}

/** What one loop iteration did. */
export interface IterationSummary {
  runsCreated: number;
  /** Task instance and run state changes made by the scheduling phase. */
  changes: number;
  tisQueued: number;
  /** A phase changed something that may unlock more work, or more may wait to be claimed: loop again at once. */
  moreWork: boolean;
  /** The scheduling phase claimed a full batch: other running runs wait for their turn. */
  fullBatch: boolean;
}

/**
 * The scheduler daemon (Airflow's SchedulerJobRunner): a loop of phases, each one transaction with
 * compare-and-set writes (scheduling and queueing share one), that is safe to run several
 * times against one Postgres database and to kill at any moment. It sleeps until an event wakes it
 * (a try finished, a DAG was parsed, a run was triggered) or until time alone brings work, at most
 * scheduler.poll_interval_seconds.
 */
export class Scheduler {
  readonly #options: SchedulerOptions;
  readonly #now: () => number;
  readonly #emit: SchedulerEventListener;
  readonly #executors: Map<string, Executor>;
  readonly #wake = new WakeSignal();
  readonly #unsubscribes: (() => void)[] = [];
  readonly #missingExecutors = new Set<string>();
  /** Tries whose end a follow-up handled (tryIdOf), until their executor's event arrives. */
  readonly #followedUp = new Set<string>();
  #jobId: number | null = null;
  /**
   * Whether the run-creation phase may find work: set by what can create or start runs (a DAG
   * parsed, a run triggered, a run finished and freed a maxActiveRuns place, a deadline reached);
   * finished tries, the bulk of wake-ups, cannot. The loop skips the phase otherwise.
   */
  #runCreationDue = true;
  #lastRunCreationAt = Number.NEGATIVE_INFINITY;
  #lastHeartbeat = 0;
  #lastLivenessCheck = Number.NEGATIVE_INFINITY;
  /** Set once this process has analyzed the new tables (or tried to, as a user that may not): autovacuum takes over. */
  #statisticsDone = false;
  #stopping = false;
  #loop: Promise<void> | null = null;

  constructor(options: SchedulerOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#emit = options.onEvent ?? (() => undefined);
    this.#executors = new Map(options.executors.map((executor) => [executor.name, executor]));
  }

  /** The job id of this scheduler's row, once started. */
  get jobId(): number | null {
    return this.#jobId;
  }

  /** Registers the job, starts the executors and subscribes to wake-ups. Does not loop (see run). */
  async start(): Promise<void> {
    const { store } = this.#options;
    const job = await startJob(store.db, {
      jobType: SCHEDULER_JOB_TYPE,
      hostname: this.#options.hostname ?? osHostname(),
      pid: this.#options.pid ?? process.pid,
      now: this.#now(),
    });
    this.#jobId = job.id;
    this.#lastHeartbeat = this.#now();
    for (const executor of this.#executors.values()) {
      await executor.start();
      this.#unsubscribes.push(
        executor.onEvent((event) => {
          if (event.type === 'try_finished') this.#emit({ type: 'try_finished', key: event.key, state: event.state });
          if (this.#followedUp.delete(tryIdOf(event.key))) this.#wake.wakeWithin(FOLLOWED_UP_WAKE_MS);
          else this.#wake.wake();
        }),
      );
    }
    const notifier = this.#options.notifier;
    if (notifier !== undefined) {
      for (const channel of ['dag_parsed', 'run_triggered', 'ti_finished'] as const) this.#unsubscribes.push(notifier.listen(channel, () => this.wake()));
    }
    this.#emit({ type: 'started', jobId: job.id });
  }

  /** Loops until stop(); resolves when the loop has ended. Call start() first. */
  run(): Promise<void> {
    this.#loop ??= this.#runLoop();
    return this.#loop;
  }

  /** Wakes the loop now (for components in the same process), with a look for runs to create. */
  wake(): void {
    this.#runCreationDue = true;
    this.#wake.wake();
  }

  /**
   * One pass of every phase: heartbeat and liveness checks when due, then create runs (unless
   * `createRuns` is false), schedule runs, queue task instances and hand them to the executors. A
   * failing phase is reported and does not stop the others.
   */
  async iterate({ createRuns = true }: { createRuns?: boolean } = {}): Promise<IterationSummary> {
    const jobId = this.#requireJobId();
    const summary: IterationSummary = { runsCreated: 0, changes: 0, tisQueued: 0, moreWork: false, fullBatch: false };
    await this.#guard('heartbeat', () => this.#heartbeatIfDue(jobId));
    if (this.#livenessCheckDue()) {
      await this.#guard('liveness', () => this.#checkLiveness(jobId));
      // As often, until the new tables of a Postgres database have been analyzed once.
      if (!this.#statisticsDone) await this.#guard('statistics', () => this.#analyzeNewTables());
    }
    if (this.#stopping) return summary;
    const limit = this.#options.config.scheduler.max_dagruns_per_loop;
    if (createRuns) {
      this.#lastRunCreationAt = this.#now();
      await this.#guard('create_runs', async () => {
        const result = await createRunsPhase(this.#context());
        summary.runsCreated = this.#flush(result.events);
        if (result.claimed >= limit) {
          summary.moreWork = true;
          this.#runCreationDue = true;
        }
      });
    }
    const together = await this.#scheduleAndQueueTogether(jobId);
    await this.#guard('schedule_runs', async () => {
      const result = together?.scheduled ?? (await scheduleRunsPhase(this.#context()));
      const { changes, unlocking } = this.#takeScheduled(result);
      summary.changes = changes;
      // A full batch without changes is runs waiting on their tasks: worth another look soon, not at once.
      summary.moreWork ||= unlocking;
      summary.fullBatch = result.claimed >= limit;
    });
    // Task instances queued together with the scheduling are handed over even when stopping.
    if (this.#stopping && together === null) return summary;
    await this.#guard('queue_tasks', async () => {
      const result = together?.queued ?? (await queuePhase(this.#context(), this.#queueOptions(jobId)));
      summary.tisQueued = this.#flush(result.events);
      await handOver(result.handoffs, this.#handOverContext());
      summary.moreWork ||= result.claimed >= this.#options.config.scheduler.max_tis_per_query;
    });
    return summary;
  }

  /** Null when the shared transaction failed: the phases then run apart, each reporting its own error. */
  async #scheduleAndQueueTogether(jobId: number): Promise<ScheduledAndQueued | null> {
    try {
      return await scheduleAndQueue(this.#context(), this.#queueOptions(jobId));
    } catch {
      return null;
    }
  }

  /**
   * Airflow 2's "mini scheduler", carried on to queueing and starting, for executors in this process
   * on SQLite: the transaction that records the ends of tries decides their runs and queues what
   * became ready (ADR 0017), and hands it over before it commits, so that the starts an executor
   * makes at once join it (ADR 0018). Only while fewer than COALESCE_MIN_ACTIVE_TRIES tries are in
   * flight; the loop then looks FOLLOWED_UP_WAKE_MS after the executor's event. A failure here is
   * rolled back to a savepoint and reported; the ends commit, and their events wake the loop at once.
   */
  readonly followUpTryEnds: TryEndsFollowUp = async (trx, ended) => {
    const jobId = this.#jobId;
    if (jobId === null || this.#stopping || this.#batchesTries()) return null;
    try {
      const context = { ...this.#context(), db: trx };
      const { scheduled, queued } = await inSavepoint(trx, 'follow_up_ends', () => scheduleAndQueue(context, this.#queueOptions(jobId), distinctRuns(ended)));
      return {
        // A workload an executor refuses goes back to scheduled in this same transaction.
        handOver: () => handOver(queued.handoffs, { ...this.#handOverContext(), db: trx }),
        afterCommit: () =>
          void this.#guard('queue_tasks', async () => {
            for (const key of ended) this.#followedUp.add(tryIdOf(key));
            if (this.#takeScheduled(scheduled).unlocking) this.#wake.wake();
            this.#flush(queued.events);
          }),
      };
    } catch (error) {
      this.#emit({ type: 'phase_failed', phase: 'schedule_runs', error: serializeError(error) });
      return null;
    }
  };

  /**
   * Reports a scheduling phase's events. A finished run frees a maxActiveRuns place, and a task
   * instance that reached a finished state (skipped, upstream_failed...) may decide its downstream:
   * `unlocking` says to look again at once. One that was only scheduled decides nothing more until
   * its try ends; its executor's event wakes the loop.
   */
  #takeScheduled(result: PhaseResult): { changes: number; unlocking: boolean } {
    const runFinished = result.events.some((event) => event.type === 'run_finished');
    if (runFinished) this.#runCreationDue = true;
    const unlocking = runFinished || result.events.some((event) => event.type === 'ti_state_changed' && isFinishedTiState(event.to));
    return { changes: this.#flush(result.events), unlocking };
  }

  /** Whether enough tries are in flight that waiting for more of them to end pays (COALESCE_MIN_ACTIVE_TRIES). */
  #batchesTries(): boolean {
    return countActiveTries(this.#executors.values()) >= COALESCE_MIN_ACTIVE_TRIES;
  }

  /**
   * Fewer tries in flight than the loop batches for: the supervisors in this process then write
   * each try's start and end at once, not batched with the rest of their turn (createSupervisorApi).
   */
  readonly fewTriesInFlight = (): boolean => !this.#batchesTries();

  #queueOptions(jobId: number): QueuePhaseOptions {
    return {
      jobId,
      executors: this.#executors,
      defaultExecutor: this.#options.config.core.executor,
      onMissingExecutor: (name) => this.#reportMissingExecutor(name),
    };
  }

  /**
   * Stops the loop. `graceful` (SIGTERM): no new runs or queueing, the executors let running tries
   * finish. Otherwise the executors kill their tries (their supervisors record them). Then the job
   * row is ended.
   */
  async stop(options: { graceful: boolean }): Promise<void> {
    this.#emit({ type: 'stopping', graceful: options.graceful });
    this.#stopping = true;
    this.#wake.wake();
    await this.#loop;
    for (const unsubscribe of this.#unsubscribes.splice(0)) unsubscribe();
    await Promise.all([...this.#executors.values()].map((executor) => executor.stop(options)));
    if (this.#jobId !== null) await endJob(this.#options.store.db, this.#jobId, 'success', this.#now());
    this.#emit({ type: 'stopped' });
  }

  async #runLoop(): Promise<void> {
    while (!this.#stopping) {
      // SQLite queries run synchronously, so an iteration never yields on its own. Letting pending
      // I/O run first (task-process messages, finished tries) makes one iteration take in every
      // completion that is already waiting instead of one per loop.
      await new Promise((resolve) => setImmediate(resolve));
      // With several tries in flight, more will end within a millisecond: one iteration for all of
      // them costs less than one each. A lone try (a chain) is never kept waiting.
      if (this.#batchesTries()) await new Promise((resolve) => setTimeout(resolve, COALESCE_MS));
      const createRuns = this.#runCreationDue || this.#now() - this.#lastRunCreationAt >= RUN_CREATION_MAX_GAP_MS;
      this.#runCreationDue = false;
      const summary = await this.iterate({ createRuns });
      if (this.#stopping) break;
      // Queued task instances need no second look: their executor's event wakes the loop.
      if (summary.moreWork || summary.runsCreated > 0) continue;
      // The tries just handed over record their start first; the deadlines are read only if none of
      // them ends soon.
      if (summary.tisQueued > 0 && (await this.#wake.wait(DEADLINE_READ_DELAY_MS)) === 'woken') continue;
      const sleepMs = await this.#sleepMs();
      // Time alone brings work only through deadlines (due DAGs, retries...), which may be runs to create.
      if ((await this.#wake.wait(summary.fullBatch ? Math.min(sleepMs, FULL_BATCH_SLEEP_MS) : sleepMs)) === 'timeout') this.#runCreationDue = true;
    }
  }

  /**
   * Until the next deadline still ahead (a DAG due, a retry or reschedule wait ending, a heartbeat
   * or liveness check), at most the poll interval. Never zero: work already due that an iteration
   * could not do is blocked, and an event wakes the loop when it is not.
   */
  async #sleepMs(): Promise<number> {
    const { scheduler } = this.#options.config;
    const now = this.#now();
    const deadlines = [
      now + scheduler.poll_interval_seconds * 1000,
      this.#lastHeartbeat + scheduler.job_heartbeat_seconds * 1000,
      this.#lastLivenessCheck + scheduler.liveness_check_interval_seconds * 1000,
    ];
    try {
      const timeDriven = await nextSchedulingDeadline(this.#options.store.db, now);
      if (timeDriven !== null) deadlines.push(timeDriven);
    } catch (error) {
      this.#emit({ type: 'phase_failed', phase: 'create_runs', error: serializeError(error) });
    }
    return Math.max(MIN_SLEEP_MS, Math.min(...deadlines) - now);
  }

  async #heartbeatIfDue(jobId: number): Promise<void> {
    const now = this.#now();
    if (now - this.#lastHeartbeat < this.#options.config.scheduler.job_heartbeat_seconds * 1000) return;
    await heartbeatJob(this.#options.store.db, jobId, now);
    this.#lastHeartbeat = now;
  }

  /** Whether the liveness checks are due; if so, counts them as done now. */
  #livenessCheckDue(): boolean {
    const now = this.#now();
    if (now - this.#lastLivenessCheck < this.#options.config.scheduler.liveness_check_interval_seconds * 1000) return false;
    this.#lastLivenessCheck = now;
    return true;
  }

  async #checkLiveness(jobId: number): Promise<void> {
    const activeTries = [...this.#executors.values()].flatMap((executor) => executor.activeTries());
    this.#flush(await checkLiveness(this.#context(), { jobId, activeTries }));
  }

  async #analyzeNewTables(): Promise<void> {
    const tables = await analyzeNewHistoryTables(this.#options.store.db);
    if (tables.length === 0) return;
    this.#statisticsDone = true;
    this.#emit({ type: 'statistics_refreshed', tables });
  }


  #handOverContext(): HandOverContext {
    return { db: this.#options.store.db, now: this.#now(), emit: this.#emit };
  }

  #context(): PhaseContext {
    const { store, config } = this.#options;
    return { store, config, now: this.#now(), db: store.db };
  }

  #flush(events: PendingEvents): number {
    const count = events.count;
    events.flush(this.#emit);
    return count;
  }

  async #guard(phase: SchedulerPhase, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      this.#emit({ type: 'phase_failed', phase, error: serializeError(error) });
    }
  }

  #reportMissingExecutor(name: string): void {
    if (this.#missingExecutors.has(name)) return;
    this.#missingExecutors.add(name);
    this.#emit({ type: 'executor_missing', executor: name });
  }

  #requireJobId(): number {
    if (this.#jobId === null) throw new Error('Scheduler.start() must be called before iterate() or run()');
    return this.#jobId;
  }
}

export type { SchedulerEvent, PhaseResult };
