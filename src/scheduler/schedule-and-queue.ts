import { runKeyOf } from '../core/index.ts';
import { inTransaction, type DagRunKey } from '../store/index.ts';
import type { PhaseResult } from './create-runs-phase.ts';
import type { PhaseContext } from './phase-context.ts';
import { queuePhase, type QueuePhaseOptions, type QueuePhaseResult } from './queue-phase.ts';
import { scheduleRunsPhase } from './schedule-runs-phase.ts';

export interface ScheduledAndQueued {
  scheduled: PhaseResult;
  queued: QueuePhaseResult;
}

/**
 * The scheduling and queueing phases in one transaction (the context's, or one of their own): the
 * path from one task's end to the next one's start saves a commit and a begin (on Postgres, two
 * round trips and a WAL flush of about ten a loop). Queueing locks the pool rows only after the
 * runs are decided, so other schedulers wait on them no longer than if the phases were apart; the
 * runs stay locked a little longer, and other schedulers skip locked runs. With `runs`, only those
 * runs are decided (the runs of tries that just ended); the queueing is the same.
 */
export function scheduleAndQueue(context: PhaseContext, queueOptions: QueuePhaseOptions, runs?: readonly DagRunKey[]): Promise<ScheduledAndQueued> {
  return inTransaction(context.db, async (trx) => {
    const inTrx = { ...context, db: trx };
    return { scheduled: await scheduleRunsPhase(inTrx, runs === undefined ? {} : { runs }), queued: await queuePhase(inTrx, queueOptions) };
  });
}

/** Each run of `keys` once, in the order of first appearance. */
export function distinctRuns(keys: readonly DagRunKey[]): DagRunKey[] {
  return [...new Map(keys.map((key) => [runKeyOf(key.dagId, key.runId), { dagId: key.dagId, runId: key.runId }])).values()];
}
