import type { Dag } from './dag.ts';
import { definitionError } from './option-errors.ts';

/**
 * Whole-DAG checks that can only run once the builder has finished. Per-option checks
 * (ids, trigger rules, types, dates, params) already ran when each part was created.
 */
export function validateDag(dag: Dag): void {
  const cycle = findCycle(dag);
  if (cycle !== null) {
    throw definitionError('DAG_CYCLE', { dagId: dag.dagId, taskId: cycle[0] }, `dependency cycle ${cycle.join(' -> ')}`, 'Remove one of the dependencies in the cycle', {
      cycle,
    });
  }
}

/** Depth-first search; returns the first cycle found as a closed path (`a -> b -> a`). */
function findCycle(dag: Dag): string[] | null {
  const state = new Map<string, 'visiting' | 'done'>();
  const path: string[] = [];
  const visit = (taskId: string): string[] | null => {
    state.set(taskId, 'visiting');
    path.push(taskId);
    for (const next of [...dag.downstreamOf(taskId)].sort()) {
      const seen = state.get(next);
      if (seen === 'visiting') return [...path.slice(path.indexOf(next)), next];
      if (seen === undefined) {
        const found = visit(next);
        if (found !== null) return found;
      }
    }
    path.pop();
    state.set(taskId, 'done');
    return null;
  };
  for (const task of [...dag.tasks].sort((a, b) => (a.taskId < b.taskId ? -1 : 1))) {
    if (state.has(task.taskId)) continue;
    const found = visit(task.taskId);
    if (found !== null) return found;
  }
  return null;
}
