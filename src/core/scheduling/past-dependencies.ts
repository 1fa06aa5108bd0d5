import { dagGraph } from '../dag-graph.ts';
import type { SerializedDag, SerializedTask } from '../../contracts/serialized-dag.ts';
import type { TaskInstanceState } from '../../contracts/states.ts';
import type { PreviousRunState } from './types.ts';

const PAST_DONE: readonly TaskInstanceState[] = ['success', 'skipped'];

/**
 * Airflow's PrevDagrunDep. `dependsOnPast`: the same task in the previous run (by logical date)
 * must have succeeded or been skipped. `waitForDownstream` (which implies dependsOnPast): the
 * tasks directly downstream of it in the previous run must have too. The first run, and a task
 * that did not exist in the previous run, have no past to wait for.
 */
export function pastDependenciesMet(task: SerializedTask, dag: SerializedDag, previousRun: PreviousRunState | null): boolean {
  if (!task.dependsOnPast && !task.waitForDownstream) return true;
  if (previousRun === null) return true;
  const ownPast = previousRun.states.get(task.taskId);
  if (ownPast === undefined) return true;
  if (!PAST_DONE.includes(ownPast)) return false;
  if (!task.waitForDownstream) return true;
  return (dagGraph(dag).downstream.get(task.taskId) ?? []).every((taskId) => {
    const state = previousRun.states.get(taskId);
    return state === undefined || PAST_DONE.includes(state);
  });
}
