import { BaseOperator } from '../base-operator.ts';
import type { TaskContext } from '../task-context.ts';

/** Does nothing (Airflow's EmptyOperator): a join point or placeholder in a DAG. */
export class EmptyOperator extends BaseOperator {
  static override uiColor = '#e8f7e4';

  execute(_context: TaskContext): void {}
}
