import type { ExpressionBuilder } from 'kysely';
import type { DagRunKey } from './dag-runs.ts';
import type { Param } from './prepared.ts';

/** The keys of `runs` as prepared-statement values: dagId0, runId0, dagId1, runId1... */
export function runKeyParams(runs: readonly DagRunKey[]): Record<string, string> {
  return Object.fromEntries(runs.flatMap((run, index) => [[`dagId${index}`, run.dagId], [`runId${index}`, run.runId]]));
}

/**
 * Matches rows (of the query's own table, by its dag_id and run_id columns) of any of `count` runs
 * whose keys are bound as runKeyParams names them.
 */
export function oneOfRunParams(count: number, param: Param<Record<string, unknown>>) {
  return <DB, TB extends keyof DB>(eb: ExpressionBuilder<DB, TB>) =>
    eb.or(Array.from({ length: count }, (_, index) => eb.and({ dag_id: param(`dagId${index}`), run_id: param(`runId${index}`) } as never)));
}
