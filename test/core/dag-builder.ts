import { SERIALIZED_DAG_FORMAT } from '../../src/contracts/serialized-dag.ts';
import type { SerializedDag, SerializedTask } from '../../src/contracts/serialized-dag.ts';
import type { TaskInstanceState } from '../../src/contracts/states.ts';

export type TaskSpec = Partial<Pick<SerializedTask, 'upstream' | 'triggerRule' | 'priorityWeight' | 'weightRule' | 'dependsOnPast'>>;

/** A serialized DAG with default options; only the fields core rules read are worth setting. */
export function buildDag(tasks: Record<string, TaskSpec>): SerializedDag {
  const ids = Object.keys(tasks);
  const serializedTasks = ids.map((taskId): SerializedTask => {
    const spec = tasks[taskId] ?? {};
    const upstream = spec.upstream ?? [];
    return {
      taskId,
      operator: 'EmptyOperator',
      upstream,
      downstream: ids.filter((other) => (tasks[other]?.upstream ?? []).includes(taskId)),
      triggerRule: spec.triggerRule ?? 'all_success',
      retries: 0,
      retryDelaySeconds: 300,
      retryExponentialBackoff: false,
      maxRetryDelaySeconds: null,
      executionTimeoutSeconds: null,
      dependsOnPast: spec.dependsOnPast ?? false,
      waitForDownstream: false,
      pool: 'default_pool',
      poolSlots: 1,
      priorityWeight: spec.priorityWeight ?? 1,
      weightRule: spec.weightRule ?? 'downstream',
      queue: 'default',
      executor: null,
      isolation: 'pool',
      owner: 'airflow',
      email: [],
      emailOnFailure: false,
      emailOnRetry: false,
      templateFields: [],
      templateFieldValues: {},
      templateExt: [],
      group: null,
      isBranch: false,
      isShortCircuit: false,
      sensor: null,
      callbacks: { onSuccess: false, onFailure: false, onRetry: false, onExecute: false },
      xcomInputs: [],
      doc: null,
      uiColor: '#fff',
    };
  });
  return {
    format: SERIALIZED_DAG_FORMAT,
    dagId: 'test_dag',
    fileloc: '/dags/test_dag.ts',
    timetable: { kind: 'none', summary: 'None' },
    startDate: null,
    endDate: null,
    timezone: 'UTC',
    catchup: false,
    tags: [],
    owner: 'airflow',
    description: null,
    docMd: null,
    params: {},
    maxActiveRuns: 16,
    maxActiveTasks: 16,
    dagrunTimeoutSeconds: null,
    isPausedUponCreation: null,
    templateSearchpath: [],
    userDefinedMacros: [],
    tasks: serializedTasks,
    taskGroups: [],
  };
}

/** Task instance states of a run, written as an object for readability. */
export function statesOf(states: Record<string, TaskInstanceState>): Map<string, TaskInstanceState> {
  return new Map(Object.entries(states));
}
