import { invalidOption } from './option-errors.ts';
import type { DefaultArgs } from './task-options.ts';

/*
 * While `dag(options, build)` runs `build`, operators created inside attach to that DAG (Airflow's
 * `with DAG(...)`), and inside `taskGroup(...)` to that group. This module is the stack of those
 * scopes. It knows DAGs and tasks only through the small interfaces below so that the operator
 * and DAG classes can both depend on it without depending on each other.
 */

/** A task as the dependency graph sees it. */
export interface GraphNode {
  readonly taskId: string;
  readonly host: TaskHost;
}

/** A task group while tasks are being created in it. */
export interface GroupScope {
  /** Full id (`outer.inner` for nested groups whose parent prefixes ids). */
  readonly groupId: string;
  /** Whether task ids inside are prefixed with the group id (default true). */
  readonly prefixGroupId: boolean;
  readonly parent: GroupScope | null;
  readonly tooltip: string;
}

/** What an operator needs from the DAG it belongs to; the Dag class implements it. */
export interface TaskHost {
  readonly dagId: string;
  readonly owner: string;
  readonly defaultArgs: Readonly<DefaultArgs>;
  hasTask(taskId: string): boolean;
  addTask(task: GraphNode, group: GroupScope | null): void;
  addGroup(group: GroupScope): void;
  addEdge(upstreamId: string, downstreamId: string): void;
  upstreamOf(taskId: string): ReadonlySet<string>;
  downstreamOf(taskId: string): ReadonlySet<string>;
  /** The tasks in a group, nested groups included. */
  tasksInGroup(groupId: string): GraphNode[];
}

export interface BuildScope {
  host: TaskHost;
  group: GroupScope | null;
}

const scopes: BuildScope[] = [];

export function currentScope(): BuildScope | undefined {
  return scopes.at(-1);
}

/** The scope a new task or group attaches to; outside `dag(...)` there is none, which is an error. */
export function requireScope(what: string): BuildScope {
  const scope = currentScope();
  if (scope === undefined) {
    throw invalidOption({}, `${what} was created outside a DAG`, 'Create tasks inside the builder function: dag({ dagId: ... }, () => { ...tasks here... })');
  }
  return scope;
}

export function withScope<T>(scope: BuildScope, build: () => T): T {
  scopes.push(scope);
  try {
    return build();
  } finally {
    scopes.pop();
  }
}

/** Airflow's TaskGroup.child_id: ids inside a prefixing group are `group.label`. */
export function childId(group: GroupScope | null, label: string): string {
  return group !== null && group.prefixGroupId ? `${group.groupId}.${label}` : label;
}
