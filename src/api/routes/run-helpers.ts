import { UpdraftError } from '../../contracts/errors.ts';
import type { ClearPlan } from '../../operations/index.ts';

/** The wire form of a clear plan (what was, or with dry_run would be, cleared). */
export function toClearPlanJson(plan: ClearPlan, dryRun: boolean) {
  return {
    dry_run: dryRun,
    dag_runs: plan.runs.map((run) => ({
      run_id: run.runId,
      task_instances: run.taskInstances.map((ti) => ({ task_id: ti.taskId, map_index: ti.mapIndex, state: ti.state })),
    })),
  };
}

/** Params that do not satisfy the DAG's schema are a problem with the request's conf field. */
export async function paramsErrorAsBadConf<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof UpdraftError && error.code === 'DAG_INVALID_PARAMS') {
      throw new UpdraftError(error.code, error.message, { hint: error.hint, details: { ...error.details, field: '/body/conf' }, cause: error });
    }
    throw error;
  }
}
