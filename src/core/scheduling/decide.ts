import { decideRun } from './decide-run.ts';
import { planDagRuns } from './plan-dag-runs.ts';
import { selectTasksToQueue } from './select-tasks-to-queue.ts';
import type { SchedulerCommand, SchedulerSnapshot } from './types.ts';

/**
 * The scheduler's whole decision for a snapshot, as commands: runs to create and start per DAG,
 * task instance changes and run outcomes per running run, and task instances to queue. Pure: the
 * same snapshot and instant always give the same commands, in the same order.
 */
export function decide(snapshot: SchedulerSnapshot, now: number): SchedulerCommand[] {
  return [
    ...(snapshot.dags ?? []).flatMap((dag) => planDagRuns(dag, now)),
    ...(snapshot.runs ?? []).flatMap((run) => decideRun(run, now)),
    ...(snapshot.queue === undefined ? [] : selectTasksToQueue(snapshot.queue)),
  ];
}
