import { decide, runKeyOf, tasksById, type QueueCandidate, type SchedulerCommand } from '../core/index.ts';
import { serializeError } from '../contracts/errors.ts';
import type { TaskWorkload } from '../contracts/workload.ts';
import { countActiveTries, type Executor } from '../executors/executor.ts';
import {
  claimScheduledTis,
  getDagVersion,
  inTransaction,
  lockPools,
  resetQueuedTi,
  setTaskInstanceStates,
  type Executor as DbExecutor,
  type QueuedTiRow,
  type ScheduledTiRow,
} from '../store/index.ts';
import { buildWorkload } from './build-workload.ts';
import type { PhaseResult } from './create-runs-phase.ts';
import { PendingEvents, type PhaseContext } from './phase-context.ts';
import type { SchedulerEventListener } from './scheduler-events.ts';

export interface QueuePhaseOptions {
  jobId: number;
  executors: ReadonlyMap<string, Executor>;
  defaultExecutor: string;
  /** Called once per executor name that scheduled task instances ask for but nobody runs here. */
  onMissingExecutor: (name: string) => void;
}

export interface Handoff {
  executor: Executor;
  workload: TaskWorkload;
  /** The task instance as queued, to send it back to scheduled if the executor refuses it. */
  queued: QueuedTiRow;
}

export type QueuePhaseResult = PhaseResult & { handoffs: Handoff[] };

/**
 * Phase 3, the critical section: locks the pool rows, claims scheduled task instances locked SKIP
 * LOCKED (lockRows) with their pools' open slots and their runs' active task instances counted
 * inside the lock, and marks the chosen ones queued, all in one transaction. The caller hands the
 * workloads over after the commit, so that no try starts before its `queued` is committed; a
 * try-end follow-up on SQLite hands them over inside the transaction instead, and their starts
 * join it (ADR 0018).
 */
export async function queuePhase(context: PhaseContext, options: QueuePhaseOptions): Promise<QueuePhaseResult> {
  const { now, config } = context;
  const events = new PendingEvents();
  const handoffs: Handoff[] = [];
  const executorSlots = new Map([...options.executors].map(([name, executor]) => [name, executor.availableSlots()]));
  const running = countActiveTries(options.executors.values());
  const parallelism = config.core.parallelism - running;
  if (parallelism <= 0 || [...executorSlots.values()].every((slots) => slots <= 0)) return { claimed: 0, events, handoffs };

  const claimed = await inTransaction(context.db, async (trx) => {
    await lockPools(trx);
    // Claim no more rows than could be queued now: the rest would be locked and read for nothing.
    const freeSlots = [...executorSlots.values()].reduce((sum, slots) => sum + Math.max(slots, 0), 0);
    const rows = await claimScheduledTis(trx, { limit: Math.min(config.scheduler.max_tis_per_query, parallelism, freeSlots) });
    const candidates = await Promise.all(rows.map((row) => toCandidate(trx, row, options.defaultExecutor)));
    for (const name of new Set(candidates.map((candidate) => candidate.executor))) {
      if (!options.executors.has(name)) options.onMissingExecutor(name);
    }
    const poolOpenSlots = new Map(rows.map((row) => [row.pool, row.poolOpenSlots]));
    const activeTasksPerRun = new Map(rows.map((row) => [runKeyOf(row.dagId, row.runId), row.runActiveTasks]));
    const rowsByKey = new Map(rows.map((row) => [tiKeyOf(row), row]));
    const commands = queueCommandsOf(decide({ queue: { candidates, limits: { poolOpenSlots, activeTasksPerRun, executorSlots, parallelism } } }, now));
    const queued = await markQueued(trx, commands, { now, jobId: options.jobId });
    // In decision order (priority first), which is the order executors take them in.
    for (const command of commands) {
      if (!queued.has(tiKeyOf(command.key))) continue;
      const row = rowsByKey.get(tiKeyOf(command.key))!;
      const dag = await getDagVersion(trx, row.dagId, row.dagVersionHash);
      const task = tasksById(dag).get(row.taskId)!;
      const key = { ...command.key, tryNumber: command.tryNumber };
      handoffs.push({
        executor: options.executors.get(command.executor)!,
        workload: buildWorkload(dag, task, key, row.dagVersionHash, command.priorityWeight),
        queued: { ...command.key, tryNumber: command.fromTryNumber, queuedAt: now, queuedByJobId: options.jobId },
      });
      events.push({ type: 'ti_queued', key, executor: command.executor });
    }
    return rows.length;
  });
  return { claimed, events, handoffs };
}

export interface HandOverContext {
  /** Where a refused task instance is reset (not a transaction: the queueing has committed). */
  db: DbExecutor;
  now: number;
  emit: SchedulerEventListener;
}

/** After the queueing commit: each workload to its executor. One the executor refuses goes back to scheduled. */
export async function handOver(handoffs: Handoff[], { db, now, emit }: HandOverContext): Promise<void> {
  for (const { executor, workload, queued } of handoffs) {
    try {
      executor.queue(workload);
    } catch (error) {
      emit({ type: 'phase_failed', phase: 'queue_tasks', error: serializeError(error) });
      // If this reset fails too, the queued timeout sends the task instance back later.
      const reset = await resetQueuedTi(db, queued, now).catch(() => false);
      if (reset) emit({ type: 'queued_ti_reset', key: workload.key, reason: 'executor_refused' });
    }
  }
}

type QueueCommand = Extract<SchedulerCommand, { type: 'queue_ti' }>;

function queueCommandsOf(commands: SchedulerCommand[]): QueueCommand[] {
  return commands.map((command) => {
    if (command.type !== 'queue_ti') throw new Error(`The queueing phase cannot apply ${command.type}`);
    return command;
  });
}

/** Marks the task instances queued, one batch per executor; returns the keys (tiKeyOf) that were. */
async function markQueued(trx: DbExecutor, commands: QueueCommand[], options: { now: number; jobId: number }): Promise<Set<string>> {
  const queued = new Set<string>();
  for (const [executor, group] of Map.groupBy(commands, (command) => command.executor)) {
    const tis = group.map((command) => ({ ...command.key, tryNumber: command.fromTryNumber }));
    const changed = await setTaskInstanceStates(trx, tis, { from: 'scheduled', to: 'queued', now: options.now, queuedByJobId: options.jobId, executor });
    for (const key of changed) queued.add(tiKeyOf(key));
  }
  return queued;
}

async function toCandidate(trx: DbExecutor, row: ScheduledTiRow, defaultExecutor: string): Promise<QueueCandidate> {
  const dag = await getDagVersion(trx, row.dagId, row.dagVersionHash);
  const known = tasksById(dag).has(row.taskId);
  return {
    key: { dagId: row.dagId, runId: row.runId, taskId: row.taskId, mapIndex: row.mapIndex },
    tryNumber: row.tryNumber,
    resumesTry: row.resumesTry,
    priorityWeight: row.priorityWeight,
    logicalDate: row.logicalDate,
    pool: row.pool,
    poolSlots: row.poolSlots,
    executor: row.executor ?? defaultExecutor,
    // A task missing from its run's version cannot be built into a workload: it never fits.
    maxActiveTasks: known ? dag.maxActiveTasks : 0,
  };
}

function tiKeyOf(key: { dagId: string; runId: string; taskId: string; mapIndex: number }): string {
  return `${runKeyOf(key.dagId, key.runId)}\u0000${key.taskId}\u0000${key.mapIndex}`;
}
