import { withScope } from './build-scope.ts';
import { Dag } from './dag.ts';
import { normalizeDagOptions, type DagOptions } from './dag-options.ts';
import { invalidOption } from './option-errors.ts';
import { currentDagFile, registerDag } from './registry.ts';
import { validateDag } from './validate-dag.ts';

/**
 * Defines a DAG (Airflow's `with DAG(...)`): runs `build` with this DAG as the current one, so
 * that operators and TaskFlow calls made inside attach to it, then validates the whole DAG.
 *
 * ```ts
 * export default dag({ dagId: 'tutorial', schedule: { days: 1 }, startDate: '2015-06-01' }, () => {
 *   const printDate = new BashOperator({ taskId: 'print_date', bashCommand: 'date' });
 *   printDate.then(new BashOperator({ taskId: 'sleep', bashCommand: 'sleep 5', retries: 3 }));
 * });
 * ```
 * Throws coded UpdraftErrors (DAG_CYCLE, DAG_DUPLICATE_TASK_ID, DAG_INVALID_SCHEDULE...) that
 * name the DAG and the task.
 */
export function dag(options: DagOptions, build: () => void): Dag {
  const settings = normalizeDagOptions(options);
  const site = { dagId: settings.dagId };
  if (typeof build !== 'function') {
    throw invalidOption(site, 'dag() needs a builder function as its second argument', 'dag({ dagId: ... }, () => { ...create tasks... })');
  }
  const result = new Dag(settings, currentDagFile());
  const returned: unknown = withScope({ host: result, group: null }, build);
  if (returned instanceof Promise) {
    // Tasks created after an await would attach to no DAG (or the wrong one).
    returned.catch(() => undefined);
    throw invalidOption(site, 'the DAG builder function is async', 'Build DAGs synchronously: remove `async` and `await` from the builder');
  }
  validateDag(result);
  registerDag(result);
  return result;
}
