import { BaseOperator } from '../base-operator.ts';

/** Does nothing (Airflow's EmptyOperator): a join point or placeholder in a DAG. */
export class EmptyOperator extends BaseOperator {
  static override uiColor = '#e8f7e4';

  execute(): void {}
}
