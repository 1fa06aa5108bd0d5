import { isFinishedTiState, type TaskInstanceState } from '../../contracts/states.ts';
import { tasksById } from '../dag-graph.ts';
import { evaluateRun, runOutcome } from '../run-evaluation.ts';
import { pastDependenciesMet } from './past-dependencies.ts';
import type { RunSchedulingState, SchedulerCommand, TiState } from './types.ts';

/** States whose wait ends at next_attempt_at: a retry's delay, a reschedule-mode sensor's next poke. */
const WAITING: readonly TaskInstanceState[] = ['up_for_retry', 'up_for_reschedule'];

/**
 * One scheduling decision for a running DAG run (Airflow's DagRun.update_state plus
 * task_instance_scheduling_decisions):
 * 1. past its dagrunTimeout, the run fails and every unfinished task instance is skipped;
 * 2. trigger rules mark task instances skipped / upstream_failed, and schedule the ready ones whose
 *    past dependencies (dependsOnPast, waitForDownstream) are met;
 * 3. retries and reschedules whose next_attempt_at has come are scheduled again;
 * 4. once every task instance is finished, the run ends success or failed by its leaves.
 */
export function decideRun(run: RunSchedulingState, now: number): SchedulerCommand[] {
  if (timedOut(run, now)) return timeoutRun(run);
  const commands: SchedulerCommand[] = [];
  const states = new Map(unmapped(run.tis).map((ti) => [ti.taskId, ti.state]));
  const byTaskId = new Map(unmapped(run.tis).map((ti) => [ti.taskId, ti]));
  const tasks = tasksById(run.dag);
  const change = (ti: TiState, to: TaskInstanceState): void => {
    commands.push({ type: 'set_ti_state', key: keyOf(run, ti), from: ti.state, to, whenTryNumber: ti.tryNumber });
    states.set(ti.taskId, to);
  };

  const evaluation = evaluateRun(run.dag, states);
  for (const taskId of evaluation.skip) change(byTaskId.get(taskId)!, 'skipped');
  for (const taskId of evaluation.upstreamFailed) change(byTaskId.get(taskId)!, 'upstream_failed');
  for (const taskId of evaluation.ready) {
    const task = tasks.get(taskId);
    if (task !== undefined && pastDependenciesMet(task, run.dag, run.previousRun)) change(byTaskId.get(taskId)!, 'scheduled');
  }
  for (const ti of run.tis) {
    if (WAITING.includes(ti.state) && (ti.nextAttemptAt ?? 0) <= now) change(ti, 'scheduled');
  }

  const outcome = runOutcome(run.dag, states);
  if (outcome !== 'running') commands.push({ type: 'finish_run', dagId: run.dagId, runId: run.runId, state: outcome, reason: 'tasks_done' });
  return commands;
}

function timedOut(run: RunSchedulingState, now: number): boolean {
  const timeout = run.dag.dagrunTimeoutSeconds;
  return timeout !== null && run.startDate !== null && now - run.startDate > timeout * 1000;
}

/** Airflow: a run past its dagrun_timeout fails and its unfinished task instances are skipped. */
function timeoutRun(run: RunSchedulingState): SchedulerCommand[] {
  const skips = run.tis
    .filter((ti) => !isFinishedTiState(ti.state))
    .map((ti): SchedulerCommand => ({ type: 'set_ti_state', key: keyOf(run, ti), from: ti.state, to: 'skipped', whenTryNumber: ti.tryNumber }));
  return [...skips, { type: 'finish_run', dagId: run.dagId, runId: run.runId, state: 'failed', reason: 'timeout' }];
}

/** Dynamic task mapping does not exist yet: trigger rules see unmapped instances only. */
function unmapped(tis: readonly TiState[]): TiState[] {
  return tis.filter((ti) => ti.mapIndex === -1);
}

function keyOf(run: RunSchedulingState, ti: TiState) {
  return { dagId: run.dagId, runId: run.runId, taskId: ti.taskId, mapIndex: ti.mapIndex };
}
