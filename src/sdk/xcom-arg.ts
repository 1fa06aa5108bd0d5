import type { GraphNode } from './build-scope.ts';
import { Dependable } from './dependable.ts';

/**
 * A reference to a value another task will push (Airflow's XComArg): what calling a TaskFlow
 * function returns. Passing it to another TaskFlow call wires the value in and makes the producer
 * upstream. It is also a task reference: `extract().then(cleanup)`.
 */
export class XComArg<T = unknown> extends Dependable {
  /** Type-level only: ties the reference to the value type so that wrong wiring does not compile. */
  declare readonly valueType?: T;
  /** The task that pushes the value. */
  readonly task: GraphNode;
  readonly key: string;

  constructor(task: GraphNode, key = 'return_value') {
    super();
    this.task = task;
    this.key = key;
  }

  get taskId(): string {
    return this.task.taskId;
  }

  roots(): readonly GraphNode[] {
    return [this.task];
  }

  leaves(): readonly GraphNode[] {
    return [this.task];
  }
}
