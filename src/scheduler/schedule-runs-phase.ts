import { decide, dependsOnPreviousRun, runKeyOf, type RunSchedulingState, type SchedulerCommand } from '../core/index.ts';
import {
  claimRunsToSchedule,
  finishRunningRuns,
  getDagVersion,
  inTransaction,
  listTiStatesOfRuns,
  previousRunStates,
  setTaskInstanceStates,
  type ClaimedRun,
  type DagRunKey,
  type Executor as DbExecutor,
  type RunTiRow,
} from '../store/index.ts';
import type { PhaseResult } from './create-runs-phase.ts';
import { PendingEvents, type PhaseContext } from './phase-context.ts';

/**
 * Phase 2: one decision for each of a batch of running runs, locked SKIP LOCKED (lockRows) and
 * decided in one transaction: trigger rules, past dependencies, retries and reschedules that are
 * due, run timeouts and run outcomes. `runs` limits the batch to those runs (the runs of tries that
 * just ended); otherwise it is the runs decided longest ago.
 */
export async function scheduleRunsPhase(context: PhaseContext, { runs }: { runs?: readonly DagRunKey[] } = {}): Promise<PhaseResult> {
  const { now } = context;
  const events = new PendingEvents();
  const claimed = await inTransaction(context.db, async (trx) => {
    const claim = { limit: context.config.scheduler.max_dagruns_per_loop, now, ...(runs === undefined ? {} : { runs }) };
    const claimedRuns = await claimRunsToSchedule(trx, claim);
    const toDecide = await runsThatNeedADecision(trx, claimedRuns);
    const tis = await listTiStatesOfRuns(trx, toDecide);
    const states = await Promise.all(toDecide.map((run) => readRunState(trx, run, tis)));
    await applyCommands(trx, decide({ runs: states }, now), now, events);
    return claimedRuns.length;
  });
  return { claimed, events };
}

/**
 * A run whose task instances are all scheduled or beyond, none waiting out a finished retry delay,
 * and some still unfinished, cannot change by a decision now: only its tries can move it. Skipping
 * it keeps each loop from re-reading every task instance of a big run while it executes.
 */
async function runsThatNeedADecision(trx: DbExecutor, runs: ClaimedRun[]): Promise<ClaimedRun[]> {
  const needed: ClaimedRun[] = [];
  for (const run of runs) {
    const { notStarted, dueToRetry, unfinished } = run.progress;
    const dag = await getDagVersion(trx, run.dagId, run.dagVersionHash);
    const mayTimeOut = dag.dagrunTimeoutSeconds !== null;
    // A run without unfinished task instances (none at all, or all done) is decided to finish it.
    if (notStarted || dueToRetry || !unfinished || mayTimeOut) needed.push(run);
  }
  return needed;
}

async function readRunState(trx: DbExecutor, run: ClaimedRun, tis: RunTiRow[]): Promise<RunSchedulingState> {
  const dag = await getDagVersion(trx, run.dagId, run.dagVersionHash);
  const needsPast = dependsOnPreviousRun(dag);
  return {
    dagId: run.dagId,
    runId: run.runId,
    logicalDate: run.logicalDate,
    startDate: run.startDate,
    dag,
    tis: tis.filter((ti) => ti.dagId === run.dagId && ti.runId === run.runId),
    previousRun: needsPast && run.logicalDate !== null ? await previousRunStates(trx, run.dagId, run.logicalDate) : null,
  };
}

/**
 * Task instance changes first, one batch per (from, to) pair, then run outcomes: decide judged
 * each run on the states it set for its task instances.
 */
async function applyCommands(trx: DbExecutor, commands: SchedulerCommand[], now: number, events: PendingEvents): Promise<void> {
  const stateChanges: Extract<SchedulerCommand, { type: 'set_ti_state' }>[] = [];
  const runOutcomes: Extract<SchedulerCommand, { type: 'finish_run' }>[] = [];
  for (const command of commands) {
    if (command.type === 'set_ti_state') stateChanges.push(command);
    else if (command.type === 'finish_run') runOutcomes.push(command);
    else throw new Error(`The scheduling phase cannot apply ${command.type}`);
  }
  for (const group of Map.groupBy(stateChanges, (command) => `${command.from}>${command.to}`).values()) {
    const { from, to } = group[0]!;
    const tis = group.map((command) => ({ ...command.key, tryNumber: command.whenTryNumber }));
    for (const key of await setTaskInstanceStates(trx, tis, { from, to, now })) events.push({ type: 'ti_state_changed', key, from, to });
  }
  const finished = new Set((await finishRunningRuns(trx, runOutcomes, now)).map((run) => runKeyOf(run.dagId, run.runId)));
  for (const command of runOutcomes) {
    if (finished.has(runKeyOf(command.dagId, command.runId))) {
      events.push({ type: 'run_finished', dagId: command.dagId, runId: command.runId, state: command.state, reason: command.reason });
    }
  }
}
