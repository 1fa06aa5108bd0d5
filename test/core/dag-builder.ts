import type { SerializedDag, SerializedTask } from '../../src/contracts/serialized-dag.ts';
import type { TaskInstanceState } from '../../src/contracts/states.ts';
import { serializedDag, serializedTask } from '../support/serialized-dag.ts';

export type TaskSpec = Partial<Pick<SerializedTask, 'upstream' | 'triggerRule' | 'priorityWeight' | 'weightRule' | 'dependsOnPast' | 'waitForDownstream'>>;

/** A serialized DAG with default options; only the fields core rules read are worth setting. */
export function buildDag(tasks: Record<string, TaskSpec>): SerializedDag {
  const ids = Object.keys(tasks);
  const serializedTasks = ids.map((taskId) => {
    const spec = tasks[taskId] ?? {};
    return serializedTask(taskId, {
      ...spec,
      operator: 'EmptyOperator',
      upstream: spec.upstream ?? [],
      downstream: ids.filter((other) => (tasks[other]?.upstream ?? []).includes(taskId)),
    });
  });
  return serializedDag('test_dag', { timetable: { kind: 'none', summary: 'None' }, startDate: null, tasks: serializedTasks });
}

/** Task instance states of a run, written as an object for readability. */
export function statesOf(states: Record<string, TaskInstanceState>): Map<string, TaskInstanceState> {
  return new Map(Object.entries(states));
}
