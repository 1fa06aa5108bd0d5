import { BaseOperator } from './base-operator.ts';
import { branchSkips, shortCircuitSkips } from './branching.ts';
import { childId, requireScope, type BuildScope } from './build-scope.ts';
import { link } from './dependable.ts';
import { assertValidId } from './ids.ts';
import { invalidOption } from './option-errors.ts';
import type { TaskContext } from './task-context.ts';
import type { TaskOptions } from './task-options.ts';
import { XComArg } from './xcom-arg.ts';

/** Each argument may be a plain value or the XComArg of a task producing a value of that type. */
export type XComArgs<A extends unknown[]> = { [K in keyof A]: A[K] | XComArg<A[K]> };

/** Options of a TaskFlow task: every task option; the id defaults to nothing, so it is required. */
export interface TaskFlowOptions extends TaskOptions {
  /** Short-circuit only: skip all downstream tasks (true, default) or only the direct ones. */
  ignoreDownstreamTriggerRules?: boolean;
}

/**
 * What `task(...)` returns: call it inside a DAG builder to add the task; the call returns an
 * XComArg for the function's (awaited) return value.
 */
export interface TaskFlowFunction<A extends unknown[], R> {
  (...args: XComArgs<A>): XComArg<Awaited<R>>;
  readonly taskId: string;
  /** The plain function, for unit tests of the task's logic. */
  readonly fn: (...args: A) => R;
  /** The same function with other options (Airflow's `.override()`), e.g. another taskId. */
  override(options: Partial<TaskFlowOptions>): TaskFlowFunction<A, R>;
}

type TaskFlowKind = 'task' | 'branch' | 'short_circuit';

const OPERATOR_NAMES: Record<TaskFlowKind, string> = { task: '@task', branch: '@task.branch', short_circuit: '@task.short_circuit' };

/** The operator behind a TaskFlow call: pulls the XCom arguments, then calls the function. */
export class TaskFlowOperator extends BaseOperator<TaskFlowOptions> {
  static override uiColor = '#ffefeb';
  readonly fn: (...args: never[]) => unknown;
  readonly args: readonly unknown[];
  readonly kind: TaskFlowKind;
  readonly ignoreDownstreamTriggerRules: boolean;

  constructor(options: TaskFlowOptions, fn: (...args: never[]) => unknown, args: readonly unknown[], kind: TaskFlowKind) {
    super(options);
    this.fn = fn;
    this.args = args;
    this.kind = kind;
    this.ignoreDownstreamTriggerRules = options.ignoreDownstreamTriggerRules ?? true;
  }

  override get operatorName(): string {
    return OPERATOR_NAMES[this.kind];
  }

  override get isBranch(): boolean {
    return this.kind === 'branch';
  }

  override get isShortCircuit(): boolean {
    return this.kind === 'short_circuit';
  }

  override get xcomInputs(): string[] {
    return this.args.filter((arg) => arg instanceof XComArg).map((arg) => arg.taskId);
  }

  async execute(context: TaskContext): Promise<unknown> {
    const values = await Promise.all(this.args.map((arg) => (arg instanceof XComArg ? context.ti.xcomPull({ taskIds: arg.taskId, key: arg.key }) : arg)));
    return (this.fn as (...args: unknown[]) => unknown)(...values);
  }

  override tasksToSkip(result: unknown): string[] {
    if (this.kind === 'branch') return branchSkips(this, result);
    if (this.kind === 'short_circuit') return shortCircuitSkips(this, result, this.ignoreDownstreamTriggerRules);
    return [];
  }
}

/** Airflow reuses a decorated task by suffixing its id: `extract`, `extract__1`, `extract__2`. */
function uniqueTaskId(scope: BuildScope, label: string): string {
  const taken = (candidate: string): boolean => scope.host.hasTask(childId(scope.group, candidate));
  if (!taken(label)) return label;
  let n = 1;
  while (taken(`${label}__${n}`)) n++;
  return `${label}__${n}`;
}

function createTaskFlow<A extends unknown[], R>(kind: TaskFlowKind, idOrOptions: string | TaskFlowOptions, fn: (...args: A) => R): TaskFlowFunction<A, R> {
  const options: TaskFlowOptions = typeof idOrOptions === 'string' ? { taskId: idOrOptions } : { ...idOrOptions };
  const site = { taskId: String(options?.taskId) };
  assertValidId('task', options.taskId, site);
  if (typeof fn !== 'function') throw invalidOption(site, 'task() needs a function as its second argument', "task('extract', () => ({ orders: [1, 2] }))");
  const call = (...args: XComArgs<A>): XComArg<Awaited<R>> => {
    const scope = requireScope(`TaskFlow task "${options.taskId}"`);
    const operator = new TaskFlowOperator({ ...options, taskId: uniqueTaskId(scope, options.taskId) }, fn as (...args: never[]) => unknown, args, kind);
    for (const arg of args) if (arg instanceof XComArg) link(arg, operator);
    return new XComArg<Awaited<R>>(operator);
  };
  return Object.assign(call, {
    taskId: options.taskId,
    fn,
    override: (more: Partial<TaskFlowOptions>) => createTaskFlow(kind, { ...options, ...more }, fn),
  });
}

/**
 * Turns a function into a task (Airflow's `@task`). Call the result inside a DAG builder; its
 * arguments may be plain values or other tasks' results, which become upstream tasks:
 *
 * ```ts
 * const extract = task('extract', () => ({ orders: [1, 2] }));
 * const total = task('total', (data: { orders: number[] }) => data.orders.length);
 * dag({ dagId: 'etl' }, () => { total(extract()); });
 * ```
 * Wiring a task that returns a string into a number parameter does not compile. The function
 * reads its context with `getCurrentContext()`.
 */
export function task<A extends unknown[], R>(idOrOptions: string | TaskFlowOptions, fn: (...args: A) => R): TaskFlowFunction<A, R> {
  return createTaskFlow('task', idOrOptions, fn);
}

/** A branching task: the function returns the id(s) of the direct downstream tasks to follow; the others are skipped. */
task.branch = function branch<A extends unknown[], R extends string | string[] | null | Promise<string | string[] | null>>(
  idOrOptions: string | TaskFlowOptions,
  fn: (...args: A) => R,
): TaskFlowFunction<A, R> {
  return createTaskFlow('branch', idOrOptions, fn);
};

/** A short-circuit task: a falsy return value skips the downstream tasks. */
task.shortCircuit = function shortCircuit<A extends unknown[], R>(idOrOptions: string | TaskFlowOptions, fn: (...args: A) => R): TaskFlowFunction<A, R> {
  return createTaskFlow('short_circuit', idOrOptions, fn);
};
