import type { UpdateQueryBuilder, UpdateResult } from 'kysely';
import { dialectOf } from '../dialects/dialect-name.ts';
import type { Database } from '../schema.ts';
import type { DagRunKey } from './dag-runs.ts';
import { chunked, type Executor } from './executor.ts';
import { executePrepared, executeSized, type Param } from './prepared.ts';
import { oneOfRunParams, runKeyParams } from './run-key-params.ts';

/** How a scheduling decision ends a running run. */
export interface RunOutcome extends DagRunKey {
  state: 'success' | 'failed';
}

/** Runs per statement of the batched changes below: two parameters each, far below every dialect's limit. */
const RUNS_PER_STATEMENT = 100;

/** Moves a queued run to running (compare-and-set); false when it was not queued any more. */
export async function startQueuedRun(db: Executor, key: DagRunKey, now: number): Promise<boolean> {
  const result = await executePrepared(db, 'startQueuedRun', { ...key, now }, (db, param) =>
    startingRuns(db.updateTable('dag_run'), param).where('dag_id', '=', param('dagId')).where('run_id', '=', param('runId')),
  );
  return (result.numAffectedRows ?? 0n) > 0n;
}

/** Ends a running run (compare-and-set); false when it was not running any more (cleared, marked by hand). */
export async function finishRunningRun(db: Executor, key: DagRunKey, state: RunOutcome['state'], now: number): Promise<boolean> {
  const result = await executePrepared(db, 'finishRunningRun', { dagId: key.dagId, runId: key.runId, state, now }, (db, param) =>
    finishingRuns(db.updateTable('dag_run'), param).where('dag_id', '=', param('dagId')).where('run_id', '=', param('runId')),
  );
  return (result.numAffectedRows ?? 0n) > 0n;
}

/**
 * startQueuedRun for many runs; returns those that were queued and now run. A run-creation phase
 * starts every run that a burst of triggers queued (a hundred in the throughput benchmark), and a
 * statement each was a round trip each inside its transaction.
 */
export async function startQueuedRuns(db: Executor, runs: readonly DagRunKey[], now: number): Promise<DagRunKey[]> {
  if (oneByOne(db, runs)) return changedOneByOne(runs, (run) => startQueuedRun(db, run, now));
  return changedInBatches(db, 'startQueuedRuns', runs, { now }, startingRuns);
}

/** finishRunningRun for many runs, each ending in its own state; returns those that were running. */
export async function finishRunningRuns(db: Executor, outcomes: readonly RunOutcome[], now: number): Promise<DagRunKey[]> {
  if (oneByOne(db, outcomes)) return changedOneByOne(outcomes, (outcome) => finishRunningRun(db, outcome, outcome.state, now));
  const finished: DagRunKey[] = [];
  for (const [state, runs] of Map.groupBy(outcomes, (outcome) => outcome.state)) {
    finished.push(...(await changedInBatches(db, 'finishRunningRuns', runs, { state, now }, finishingRuns)));
  }
  return finished;
}

type DagRunUpdate = UpdateQueryBuilder<Database, 'dag_run', 'dag_run', UpdateResult>;

function startingRuns(update: DagRunUpdate, param: Param<{ now: number }>): DagRunUpdate {
  return update
    .set((eb) => ({ state: 'running', start_date: eb.fn.coalesce('start_date', eb.val(param('now'))), end_date: null }))
    .where('state', '=', 'queued');
}

function finishingRuns(update: DagRunUpdate, param: Param<{ state: RunOutcome['state']; now: number }>): DagRunUpdate {
  return update.set({ state: param('state'), end_date: param('now') }).where('state', '=', 'running');
}

/** One run is a keyed update, simpler than an OR list; MySQL has no RETURNING to tell which rows changed. */
function oneByOne(db: Executor, runs: readonly DagRunKey[]): boolean {
  return runs.length <= 1 || dialectOf(db) === 'mysql';
}

async function changedOneByOne<T extends DagRunKey>(runs: readonly T[], change: (run: T) => Promise<boolean>): Promise<DagRunKey[]> {
  const changed: DagRunKey[] = [];
  for (const run of runs) if (await change(run)) changed.push({ dagId: run.dagId, runId: run.runId });
  return changed;
}

/** UPDATE ... RETURNING over up to RUNS_PER_STATEMENT runs a statement, with `values` bound beside their keys. */
async function changedInBatches<V extends Record<string, unknown>>(
  db: Executor,
  name: string,
  runs: readonly DagRunKey[],
  values: V,
  change: (update: DagRunUpdate, param: Param<V>) => DagRunUpdate,
): Promise<DagRunKey[]> {
  const changed: DagRunKey[] = [];
  for (const chunk of chunked(runs, RUNS_PER_STATEMENT)) {
    const params = { ...values, ...runKeyParams(chunk) };
    const { rows } = await executeSized(db, name, chunk.length, params, (db, param) =>
      change(db.updateTable('dag_run'), param as Param<V>)
        .where(oneOfRunParams(chunk.length, param))
        .returning(['dag_id', 'run_id']),
    );
    changed.push(...rows.map((row) => ({ dagId: row.dag_id, runId: row.run_id })));
  }
  return changed;
}
