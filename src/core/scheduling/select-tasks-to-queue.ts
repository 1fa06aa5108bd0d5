import { compareIds, runKeyOf, type QueueCandidate, type QueueState, type SchedulerCommand } from './types.ts';

/**
 * Which scheduled task instances go to their executor now (Airflow's
 * _executable_task_instances_to_queued). Candidates are taken by priority weight (highest first),
 * then logical date (oldest first), then task id, and each is queued only if every limit still has
 * room for it: its pool's open slots (counting poolSlots), its run's maxActiveTasks (queued +
 * running, per run as in Airflow 3), its executor's free slots and core.parallelism. A candidate
 * that does not fit is passed over, not waited for, so one full pool does not block the others.
 */
export function selectTasksToQueue(queue: QueueState): SchedulerCommand[] {
  const pools = new Map(queue.limits.poolOpenSlots);
  const activePerRun = new Map(queue.limits.activeTasksPerRun);
  const executors = new Map(queue.limits.executorSlots);
  let parallelism = queue.limits.parallelism;
  const commands: SchedulerCommand[] = [];
  for (const candidate of [...queue.candidates].sort(byQueueOrder)) {
    if (parallelism <= 0) break;
    const runKey = runKeyOf(candidate.key.dagId, candidate.key.runId);
    const poolOpen = pools.get(candidate.pool) ?? 0;
    const executorFree = executors.get(candidate.executor) ?? 0;
    const runActive = activePerRun.get(runKey) ?? 0;
    if (poolOpen < candidate.poolSlots || executorFree <= 0 || runActive >= candidate.maxActiveTasks) continue;
    pools.set(candidate.pool, poolOpen - candidate.poolSlots);
    executors.set(candidate.executor, executorFree - 1);
    activePerRun.set(runKey, runActive + 1);
    parallelism -= 1;
    commands.push({
      type: 'queue_ti',
      key: candidate.key,
      fromTryNumber: candidate.tryNumber,
      tryNumber: nextTryNumber(candidate),
      executor: candidate.executor,
      priorityWeight: candidate.priorityWeight,
    });
  }
  return commands;
}

/** A reschedule-mode sensor resumes its waiting try; anything else starts the next try. */
export function nextTryNumber(candidate: Pick<QueueCandidate, 'tryNumber' | 'resumesTry'>): number {
  return candidate.resumesTry ? candidate.tryNumber : candidate.tryNumber + 1;
}

function byQueueOrder(a: QueueCandidate, b: QueueCandidate): number {
  return (
    b.priorityWeight - a.priorityWeight ||
    (a.logicalDate ?? Number.MAX_SAFE_INTEGER) - (b.logicalDate ?? Number.MAX_SAFE_INTEGER) ||
    compareIds(a.key.taskId, b.key.taskId) ||
    compareIds(a.key.dagId, b.key.dagId) ||
    compareIds(a.key.runId, b.key.runId) ||
    a.key.mapIndex - b.key.mapIndex
  );
}
