import type { SerializedDag, SerializedTask } from '../contracts/serialized-dag.ts';
import { dagGraph, reachableFrom } from './dag-graph.ts';
import type { DagGraph } from './dag-graph.ts';

/**
 * Each task's effective priority, as Airflow's weight rules define it:
 * - `downstream`: its own weight plus the weights of all its descendants (the default: tasks that
 *   unblock more work go first);
 * - `upstream`: its own weight plus the weights of all its ancestors;
 * - `absolute`: its own weight.
 * Relatives contribute their own `priorityWeight`, each counted once however many paths lead to it.
 */
export function priorityWeights(dag: Pick<SerializedDag, 'tasks'>): ReadonlyMap<string, number> {
  // Computed once per DAG version (see dagGraph): the scheduler asks on every loop.
  const cached = weightsByTasks.get(dag.tasks);
  if (cached !== undefined) return cached;
  const weights = computeWeights(dag);
  weightsByTasks.set(dag.tasks, weights);
  return weights;
}

const weightsByTasks = new WeakMap<object, ReadonlyMap<string, number>>();

/** The DAG's tasks, each at its effective priority weight: what their task instances record. */
export function tasksAtEffectiveWeights(dag: Pick<SerializedDag, 'tasks'>): SerializedTask[] {
  const weights = priorityWeights(dag);
  return dag.tasks.map((task) => ({ ...task, priorityWeight: weights.get(task.taskId) ?? task.priorityWeight }));
}

function computeWeights(dag: Pick<SerializedDag, 'tasks'>): Map<string, number> {
  const graph = dagGraph(dag);
  const ownWeight = new Map(dag.tasks.map((task) => [task.taskId, task.priorityWeight]));
  const weights = new Map<string, number>();
  for (const task of dag.tasks) {
    let total = task.priorityWeight;
    for (const relative of relativesThatCount(task, graph)) total += ownWeight.get(relative) ?? 0;
    weights.set(task.taskId, total);
  }
  return weights;
}

function relativesThatCount(task: SerializedTask, graph: DagGraph): Set<string> {
  switch (task.weightRule) {
    case 'downstream':
      return reachableFrom(task.taskId, graph.downstream);
    case 'upstream':
      return reachableFrom(task.taskId, graph.upstream);
    case 'absolute':
      return new Set();
  }
}
