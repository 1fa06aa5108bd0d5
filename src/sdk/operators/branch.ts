import { BaseOperator } from '../base-operator.ts';
import { branchSkips } from '../branching.ts';
import type { TaskContext } from '../task-context.ts';
import type { TaskOptions } from '../task-options.ts';

/**
 * Base for branching operators (Airflow's BaseBranchOperator): `chooseBranch` returns the id(s)
 * of the direct downstream tasks (or task groups) to follow; the others are skipped.
 */
export abstract class BaseBranchOperator<Options extends TaskOptions = TaskOptions> extends BaseOperator<Options> {
  static override uiColor = '#ffefeb';

  abstract chooseBranch(context: TaskContext): string | string[] | null | Promise<string | string[] | null>;

  execute(context: TaskContext): string | string[] | null | Promise<string | string[] | null> {
    return this.chooseBranch(context);
  }

  override get isBranch(): boolean {
    return true;
  }

  override tasksToSkip(result: unknown): string[] {
    return branchSkips(this, result);
  }
}
