import { isUpdraftError } from '../contracts/errors.ts';
import { decide, hasRunDue, tasksAtEffectiveWeights, type DagSchedulingState, type SchedulerCommand } from '../core/index.ts';
import {
  anyDagNeedsRunCreation,
  claimDagsForRunCreation,
  createDagRunWithTaskInstances,
  getDagVersion,
  logicalDatesAfter,
  readDagRunBook,
  runTransaction,
  setNextDagrun,
  startQueuedRuns,
  type ClaimedDag,
  type Executor as DbExecutor,
} from '../store/index.ts';
import { PendingEvents, type PhaseContext } from './phase-context.ts';

export interface PhaseResult {
  /** Rows claimed; a full batch means more may be waiting. */
  claimed: number;
  events: PendingEvents;
}

/**
 * Phase 1: creates the runs that DAG timetables say are due and starts queued runs, for a batch of
 * DAG rows locked SKIP LOCKED (lockRows), all in one transaction; none when a look without a
 * transaction finds no DAG that needs it (most loops).
 */
export async function createRunsPhase(context: PhaseContext): Promise<PhaseResult> {
  const { store, now } = context;
  const events = new PendingEvents();
  if (!(await anyDagNeedsRunCreation(store.db, { now }))) return { claimed: 0, events };
  const claimed = await runTransaction(store.db, async (trx) => {
    const dags = await claimDagsForRunCreation(trx, { now, limit: context.config.scheduler.max_dagruns_per_loop });
    const states = await Promise.all(dags.map((dag) => readDagState(trx, dag, now)));
    const byId = new Map(states.map((state) => [state.dagId, state]));
    const keys = new Map(dags.map((dag) => [dag.dagId, dag.scheduleKey]));
    const commands = decide({ dags: states }, now);
    for (const command of commands) if (command.type !== 'start_run') await applyRunCommand(trx, command, { byId, keys, now, events });
    // The queued runs a burst of triggers left start in one statement, not one each.
    const starts = commands.filter((command) => command.type === 'start_run');
    for (const run of await startQueuedRuns(trx, starts, now)) events.push({ type: 'run_started', dagId: run.dagId, runId: run.runId });
    return dags.length;
  });
  return { claimed, events };
}

async function readDagState(trx: DbExecutor, claimed: ClaimedDag, now: number): Promise<DagSchedulingState> {
  const dag = await getDagVersion(trx, claimed.dagId, claimed.latestVersionHash);
  const book = await readDagRunBook(trx, claimed.dagId);
  // Read only when a run is due: without a schedule they would be every run of the DAG, on every trigger.
  const runDue = !claimed.isPaused && hasRunDue(dag, book.lastAutomatedRun, now);
  return {
    dagId: claimed.dagId,
    dag,
    versionHash: claimed.latestVersionHash,
    isPaused: claimed.isPaused,
    maxActiveRuns: claimed.maxActiveRuns,
    lastAutomatedRun: book.lastAutomatedRun,
    runningRuns: book.runningRuns,
    queuedRuns: book.queuedRuns,
    takenLogicalDates: runDue ? await logicalDatesAfter(trx, claimed.dagId, book.lastAutomatedRun?.logicalDate ?? null) : new Set(),
  };
}

interface ApplyState {
  byId: Map<string, DagSchedulingState>;
  keys: Map<string, string>;
  now: number;
  events: PendingEvents;
}

async function applyRunCommand(trx: DbExecutor, command: SchedulerCommand, state: ApplyState): Promise<void> {
  switch (command.type) {
    case 'create_run': {
      const dag = state.byId.get(command.dagId)!.dag;
      try {
        await createDagRunWithTaskInstances(
          trx,
          {
            dagId: command.dagId,
            runId: command.runId,
            runType: 'scheduled',
            state: command.state,
            logicalDate: command.run.logicalDate,
            dataIntervalStart: command.run.dataInterval.start,
            dataIntervalEnd: command.run.dataInterval.end,
            runAfter: command.run.runAfter,
            dagVersionHash: command.versionHash,
            triggeredBy: 'scheduler',
            now: state.now,
          },
          tasksAtEffectiveWeights(dag),
        );
        state.events.push({ type: 'run_created', dagId: command.dagId, runId: command.runId, state: command.state });
      } catch (error) {
        // Someone created a run with this id or logical date since the snapshot: leave theirs.
        if (!(isUpdraftError(error) && error.code === 'DAG_RUN_EXISTS')) throw error;
      }
      return;
    }
    case 'set_next_dagrun':
      await setNextDagrun(trx, command.dagId, command.next, state.keys.get(command.dagId) ?? '');
      return;
    default:
      throw new Error(`The run-creation phase cannot apply ${command.type}`);
  }
}
