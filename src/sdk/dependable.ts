import type { GraphNode } from './build-scope.ts';
import { definitionError, invalidOption, type OptionSite } from './option-errors.ts';

/** Anything that can take part in a dependency: a task, a TaskFlow result, a group, a list of them. */
export type DependencyTarget = Dependable | readonly DependencyTarget[];

/**
 * The dependency methods shared by tasks, XComArgs, task groups and lists of them.
 * Edges go from the leaves of the upstream side to the roots of the downstream side, which is
 * what makes groups and lists behave like single tasks.
 */
export abstract class Dependable {
  /** Tasks that an edge coming into this reference attaches to. */
  abstract roots(): readonly GraphNode[];
  /** Tasks that an edge leaving this reference starts from. */
  abstract leaves(): readonly GraphNode[];

  /**
   * Makes `targets` run after this one and returns them as one handle, so that
   * `a.then(b, c).then(d)` puts `d` downstream of both `b` and `c`.
   *
   * Tasks are not promises: this method only looks like Promise.then. `await task` ends in a
   * DAG_INVALID_OPTION error instead of hanging or silently doing nothing.
   */
  then(...targets: DependencyTarget[]): TaskList {
    const list = new TaskList(flattenTargets(targets, 'then', siteOf(this)));
    link(this, list);
    return list;
  }

  /** Makes `targets` run after this one (Airflow's `set_downstream`, `>>`). */
  setDownstream(...targets: DependencyTarget[]): void {
    link(this, new TaskList(flattenTargets(targets, 'setDownstream', siteOf(this))));
  }

  /** Makes this one run after `targets` (Airflow's `set_upstream`, `<<`). */
  setUpstream(...targets: DependencyTarget[]): void {
    link(new TaskList(flattenTargets(targets, 'setUpstream', siteOf(this))), this);
  }
}

/** Several references handled as one: roots and leaves are the union of theirs. */
export class TaskList extends Dependable {
  readonly items: readonly Dependable[];

  constructor(items: readonly Dependable[]) {
    super();
    this.items = items;
  }

  roots(): readonly GraphNode[] {
    return this.items.flatMap((item) => item.roots());
  }

  leaves(): readonly GraphNode[] {
    return this.items.flatMap((item) => item.leaves());
  }
}

/** Adds an edge from every leaf of `upstream` to every root of `downstream`. */
export function link(upstream: Dependable, downstream: Dependable): void {
  for (const from of upstream.leaves()) {
    for (const to of downstream.roots()) {
      const site = { dagId: from.host.dagId, taskId: from.taskId };
      if (from.host !== to.host) {
        throw invalidOption(site, `cannot depend on task "${to.taskId}" of DAG "${to.host.dagId}"`, 'Dependencies link tasks of the same DAG only');
      }
      if (from === to) {
        throw definitionError('DAG_CYCLE', site, `task depends on itself (${from.taskId} -> ${from.taskId})`, 'Remove the self dependency', {
          cycle: [from.taskId, from.taskId],
        });
      }
      from.host.addEdge(from.taskId, to.taskId);
    }
  }
}

/** Checks that every argument is a task reference and flattens nested lists. */
export function flattenTargets(targets: readonly unknown[], method: string, site: OptionSite = {}): Dependable[] {
  if (targets.length === 0) {
    throw invalidOption(site, `${method}() was called without tasks`, `Pass the tasks to link, e.g. a.${method}(b, c)`);
  }
  return targets.flatMap((target): Dependable[] => {
    if (target instanceof Dependable) return [target];
    if (Array.isArray(target)) return flattenTargets(target, method, site);
    throw notATask(target, method, site);
  });
}

/** Names the DAG and task of a reference in errors (the first task it stands for). */
function siteOf(reference: Dependable): OptionSite {
  const [node] = reference.leaves();
  return node === undefined ? {} : { dagId: node.host.dagId, taskId: node.taskId };
}

function notATask(value: unknown, method: string, site: OptionSite): Error {
  if (typeof value === 'function') {
    // `await task` and `Promise.resolve(task)` call task.then(resolve, reject).
    return invalidOption(
      site,
      `${method}() received a function: tasks are not promises, so a task cannot be awaited or returned from an async function`,
      'Remove the `await` before the task; build DAGs synchronously and link tasks with a.then(b)',
    );
  }
  return invalidOption(site, `${method}() expects tasks, task groups or lists of them, got ${JSON.stringify(value) ?? typeof value}`, 'Pass operators, TaskFlow results or task groups');
}
