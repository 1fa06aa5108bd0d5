import { UpdraftError } from '../contracts/errors.ts';
import type { SerializedDag, SerializedTask } from '../contracts/serialized-dag.ts';

/** A DAG's edges in both directions, built from each task's `upstream` list. */
export interface DagGraph {
  /** Task ids in the order the DAG lists them. */
  taskIds: readonly string[];
  upstream: ReadonlyMap<string, readonly string[]>;
  downstream: ReadonlyMap<string, readonly string[]>;
}

/**
 * Builds the graph from `upstream` lists only, so a serialized `downstream` list that disagrees
 * cannot make two parts of the scheduler see different DAGs. Edges to ids that are not tasks of
 * the DAG are dropped: the DAG processor rejects those, and the core must not crash on them.
 */
export function dagGraph(dag: Pick<SerializedDag, 'tasks'>): DagGraph {
  const cached = graphs.get(dag.tasks);
  if (cached !== undefined) return cached;
  const graph = buildGraph(dag);
  graphs.set(dag.tasks, graph);
  return graph;
}

/**
 * Derived structures by the DAG they come from. Serialized DAGs are immutable once built (a change
 * is a new version, a new object), and the scheduler decides the same version on every loop, so
 * graph, order and weights are computed once per version instead of once per decision: for a DAG
 * of thousands of tasks that is most of a loop's CPU. Weak keys let unused versions be collected.
 */
const graphs = new WeakMap<object, DagGraph>();
const taskMaps = new WeakMap<object, ReadonlyMap<string, SerializedTask>>();

/** The DAG's tasks by id, built once per DAG version (see dagGraph). */
export function tasksById(dag: Pick<SerializedDag, 'tasks'>): ReadonlyMap<string, SerializedTask> {
  let tasks = taskMaps.get(dag.tasks);
  if (tasks === undefined) {
    tasks = new Map(dag.tasks.map((task) => [task.taskId, task]));
    taskMaps.set(dag.tasks, tasks);
  }
  return tasks;
}

const pastDependencies = new WeakMap<object, boolean>();

/** Whether any task depends on the previous run (dependsOnPast or waitForDownstream), once per DAG version. */
export function dependsOnPreviousRun(dag: Pick<SerializedDag, 'tasks'>): boolean {
  let depends = pastDependencies.get(dag.tasks);
  if (depends === undefined) {
    depends = dag.tasks.some((task) => task.dependsOnPast || task.waitForDownstream);
    pastDependencies.set(dag.tasks, depends);
  }
  return depends;
}

const orders = new WeakMap<DagGraph, readonly string[]>();

function buildGraph(dag: Pick<SerializedDag, 'tasks'>): DagGraph {
  const taskIds = dag.tasks.map((task) => task.taskId);
  const known = new Set(taskIds);
  const upstream = new Map<string, string[]>();
  const downstream = new Map<string, string[]>(taskIds.map((id) => [id, []]));
  for (const task of dag.tasks) {
    const parents = [...new Set(task.upstream)].filter((id) => known.has(id));
    upstream.set(task.taskId, parents);
    for (const parent of parents) downstream.get(parent)?.push(task.taskId);
  }
  return { taskIds, upstream, downstream };
}

/** Task ids with every task after all of its upstreams; ties keep the DAG's order. */
export function topologicalOrder(graph: DagGraph): readonly string[] {
  const cached = orders.get(graph);
  if (cached !== undefined) return cached;
  const order = computeOrder(graph);
  orders.set(graph, order);
  return order;
}

function computeOrder(graph: DagGraph): string[] {
  const waitingOn = new Map(graph.taskIds.map((id) => [id, graph.upstream.get(id)?.length ?? 0]));
  const order: string[] = [];
  const ready = graph.taskIds.filter((id) => waitingOn.get(id) === 0);
  // An index instead of shift(): shifting makes this quadratic for wide DAGs.
  for (let index = 0; index < ready.length; index += 1) {
    const next = ready[index]!;
    order.push(next);
    for (const child of graph.downstream.get(next) ?? []) {
      const remaining = (waitingOn.get(child) ?? 0) - 1;
      waitingOn.set(child, remaining);
      if (remaining === 0) ready.push(child);
    }
  }
  if (order.length < graph.taskIds.length) {
    const placed = new Set(order);
    const inCycle = graph.taskIds.filter((id) => !placed.has(id));
    throw new UpdraftError('DAG_CYCLE', `The DAG has a dependency cycle through ${inCycle.join(', ')}`, {
      hint: 'Remove one of the dependencies between these tasks',
      details: { taskIds: inCycle },
    });
  }
  return order;
}

/** Every task reachable from `start` along `edges`, not counting `start` itself. */
export function reachableFrom(start: string, edges: ReadonlyMap<string, readonly string[]>): Set<string> {
  const seen = new Set<string>();
  const stack = [...(edges.get(start) ?? [])];
  for (let id = stack.pop(); id !== undefined; id = stack.pop()) {
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...(edges.get(id) ?? []));
  }
  seen.delete(start); // only reachable from itself through a cycle; a task is never its own relative
  return seen;
}
