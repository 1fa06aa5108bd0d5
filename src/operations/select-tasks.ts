import { UpdraftError } from '../contracts/errors.ts';
import type { SerializedDag } from '../contracts/serialized-dag.ts';
import { dagGraph, reachableFrom } from '../core/index.ts';

export interface TaskSelection {
  /** Regular expression matched (searched) against task ids, as Airflow's `-t`. */
  taskRegex?: string;
  /** Exact task ids; combined with the regex when both are given. */
  taskIds?: string[];
  upstream?: boolean;
  downstream?: boolean;
}

/** The task ids a clear or set-state applies to: the matches plus, on request, their relatives. */
export function selectTasks(dag: SerializedDag, selection: TaskSelection): string[] {
  let pattern: RegExp | null = null;
  if (selection.taskRegex !== undefined) {
    try {
      pattern = new RegExp(selection.taskRegex);
    } catch (error) {
      throw new UpdraftError('INVALID_ARGUMENT', `Invalid task regex "${selection.taskRegex}": ${(error as Error).message}`, {
        hint: 'Pass a JavaScript regular expression, e.g. "^extract" or "load|report"',
      });
    }
  }
  const known = new Set(dag.tasks.map((task) => task.taskId));
  for (const taskId of selection.taskIds ?? []) {
    if (!known.has(taskId)) {
      throw new UpdraftError('TASK_NOT_FOUND', `DAG "${dag.dagId}" has no task "${taskId}"`, { hint: `Tasks: ${[...known].join(', ')}` });
    }
  }
  const matched = dag.tasks
    .map((task) => task.taskId)
    .filter((taskId) => (pattern === null || pattern.test(taskId)) && (selection.taskIds === undefined || selection.taskIds.includes(taskId)));
  const graph = dagGraph(dag);
  const selected = new Set(matched);
  for (const taskId of matched) {
    if (selection.upstream === true) for (const id of reachableFrom(taskId, graph.upstream)) selected.add(id);
    if (selection.downstream === true) for (const id of reachableFrom(taskId, graph.downstream)) selected.add(id);
  }
  return dag.tasks.map((task) => task.taskId).filter((taskId) => selected.has(taskId));
}
