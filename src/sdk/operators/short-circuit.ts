import { BaseOperator } from '../base-operator.ts';
import { shortCircuitSkips } from '../branching.ts';
import { invalidOption } from '../option-errors.ts';
import type { TaskContext } from '../task-context.ts';
import type { TaskOptions } from '../task-options.ts';

export interface ShortCircuitOperatorOptions extends TaskOptions {
  /** Evaluated at run time; a falsy result skips the downstream tasks. Returned value is pushed as XCom. */
  condition: (context: TaskContext) => unknown;
  /** true (default): skip every downstream task. false: skip only direct downstream tasks and let trigger rules decide the rest. */
  ignoreDownstreamTriggerRules?: boolean;
}

/** Continues the DAG only when a condition holds (Airflow's ShortCircuitOperator). */
export class ShortCircuitOperator extends BaseOperator<ShortCircuitOperatorOptions> {
  static override uiColor = '#ffefeb';
  readonly condition: (context: TaskContext) => unknown;
  readonly ignoreDownstreamTriggerRules: boolean;

  constructor(options: ShortCircuitOperatorOptions) {
    super(options);
    if (typeof options.condition !== 'function') {
      throw invalidOption({ dagId: this.dagId, taskId: this.taskId }, 'option "condition" must be a function', 'condition: (context) => context.params.enabled === true');
    }
    this.condition = options.condition;
    this.ignoreDownstreamTriggerRules = options.ignoreDownstreamTriggerRules ?? true;
  }

  execute(context: TaskContext): unknown {
    return this.condition(context);
  }

  override get isShortCircuit(): boolean {
    return true;
  }

  override tasksToSkip(result: unknown): string[] {
    return shortCircuitSkips(this, result, this.ignoreDownstreamTriggerRules);
  }
}
