import type { SerializedSensorOptions } from '../contracts/serialized-dag.ts';
import { childId, requireScope, type GraphNode, type TaskHost } from './build-scope.ts';
import { Dependable } from './dependable.ts';
import { assertValidId } from './ids.ts';
import { invalidOption } from './option-errors.ts';
import type { ContextTask, TaskContext } from './task-context.ts';
import { resolveTaskOptions, type ResolvedTaskOptions, type TaskOptions } from './task-options.ts';

/**
 * The base of every operator (Airflow's BaseOperator). Extend it, declare which instance
 * properties are templates in `static templateFields`, and implement `execute`:
 *
 * ```ts
 * class HelloOperator extends BaseOperator<{ taskId: string; name: string }> {
 *   static override templateFields = ['name'];
 *   name: string;
 *   constructor(options: TaskOptions & { name: string }) { super(options); this.name = options.name; }
 *   execute(context: TaskContext) { console.log(`Hello ${this.name} on ${context.ds}`); }
 * }
 * ```
 * Creating an operator inside a `dag(...)` builder adds it to that DAG.
 */
export abstract class BaseOperator<Options extends TaskOptions = TaskOptions> extends Dependable implements GraphNode, ContextTask {
  /** Instance properties rendered as templates before `execute` (strings, arrays and objects). */
  static templateFields: readonly string[] = [];
  /** A template field value ending in one of these is read from a file in the DAG folder. */
  static templateExt: readonly string[] = [];
  /** Colour of the task in the UI graph. */
  static uiColor = '#ffffff';

  /** Full id, group prefix included. */
  readonly taskId: string;
  /** The DAG this task belongs to (internal plumbing: use `dagId`). */
  readonly host: TaskHost;
  /** Id of the innermost task group, null at the top level. */
  readonly group: string | null;
  /** Options after defaultArgs and defaults were applied. */
  readonly settings: ResolvedTaskOptions;

  constructor(options: Options) {
    super();
    const label: unknown = typeof options === 'object' && options !== null ? options.taskId : undefined;
    const scope = requireScope(`${new.target.name} "${String(label)}"`);
    const site = { dagId: scope.host.dagId, taskId: String(label) };
    if (typeof options !== 'object' || options === null) {
      throw invalidOption(site, `${new.target.name} needs an options object`, `new ${new.target.name}({ taskId: 'my_task', ... })`);
    }
    this.taskId = assertValidId('task', childId(scope.group, assertValidId('task', label, site)), site);
    this.host = scope.host;
    this.group = scope.group?.groupId ?? null;
    this.settings = resolveTaskOptions(options, scope.host.defaultArgs, { dagId: scope.host.dagId, taskId: this.taskId }, scope.host.owner);
    scope.host.addTask(this, scope.group);
  }

  /** Runs the task. The return value is pushed as the `return_value` XCom (JSON only). */
  abstract execute(context: TaskContext): unknown;

  get dagId(): string {
    return this.host.dagId;
  }

  /** Class name shown in the UI; TaskFlow tasks report `@task`. */
  get operatorName(): string {
    return this.constructor.name;
  }

  get upstreamTaskIds(): ReadonlySet<string> {
    return this.host.upstreamOf(this.taskId);
  }

  get downstreamTaskIds(): ReadonlySet<string> {
    return this.host.downstreamOf(this.taskId);
  }

  get templateFields(): readonly string[] {
    return (this.constructor as typeof BaseOperator).templateFields;
  }

  get templateExt(): readonly string[] {
    return (this.constructor as typeof BaseOperator).templateExt;
  }

  get uiColor(): string {
    return (this.constructor as typeof BaseOperator).uiColor;
  }

  /** Branching operators choose which direct downstream tasks run. */
  get isBranch(): boolean {
    return false;
  }

  get isShortCircuit(): boolean {
    return false;
  }

  /** Sensor settings, null for operators that are not sensors. */
  get sensor(): SerializedSensorOptions | null {
    return null;
  }

  /** Ids of tasks whose return value this task receives as input (TaskFlow). */
  get xcomInputs(): string[] {
    return [];
  }

  /**
   * Task ids to mark skipped after `execute` returned `result`. Branch and short-circuit
   * operators override it; the runtime asks the supervisor to skip them.
   */
  tasksToSkip(_result: unknown): string[] {
    return [];
  }

  roots(): readonly GraphNode[] {
    return [this];
  }

  leaves(): readonly GraphNode[] {
    return [this];
  }
}
