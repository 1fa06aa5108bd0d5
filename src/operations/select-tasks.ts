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
    assertSafePattern(selection.taskRegex);
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

/** Task ids are at most 250 characters; a longer pattern is a mistake or an attack. */
const MAX_PATTERN_LENGTH = 250;
/** A quantified group that is itself quantified, e.g. `(a+)+` or `(\w*)*`: the shape of catastrophic backtracking. */
const NESTED_QUANTIFIER = /\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)[+*{]/;

/**
 * Patterns arrive from the API as well as the CLI, and JavaScript regexes cannot be interrupted:
 * one with nested quantifiers could block the server for minutes (ReDoS). Such patterns are refused;
 * task selection never needs them.
 */
function assertSafePattern(source: string): void {
  if (source.length > MAX_PATTERN_LENGTH || NESTED_QUANTIFIER.test(source)) {
    throw new UpdraftError('INVALID_ARGUMENT', `Task regex "${source.slice(0, 60)}" is too long or nests quantifiers`, {
      hint: `Use a simple pattern of at most ${MAX_PATTERN_LENGTH} characters without a repeated group like (a+)+, e.g. "^extract" or "load|report"`,
    });
  }
}
