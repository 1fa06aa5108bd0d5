import { UpdraftError } from '../contracts/errors.ts';
import type { SerializedDag } from '../contracts/serialized-dag.ts';

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
export function topologicalOrder(graph: DagGraph): string[] {
  const waitingOn = new Map(graph.taskIds.map((id) => [id, graph.upstream.get(id)?.length ?? 0]));
  const order: string[] = [];
  const ready = graph.taskIds.filter((id) => waitingOn.get(id) === 0);
  for (let next = ready.shift(); next !== undefined; next = ready.shift()) {
    order.push(next);
    for (const child of graph.downstream.get(next) ?? []) {
      const remaining = (waitingOn.get(child) ?? 0) - 1;
      waitingOn.set(child, remaining);
      if (remaining === 0) ready.push(child);
    }
  }
  if (order.length < graph.taskIds.length) {
    const inCycle = graph.taskIds.filter((id) => !order.includes(id));
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
