import type { SerializedDag, SerializedTask } from '../../src/contracts/serialized-dag.ts';

/** Fixed instants for fixtures: 2025-01-01T00:00:00Z and one day. */
export const T0 = Date.UTC(2025, 0, 1);
export const DAY = 86_400_000;

/** A serialized task with every option at its default; tests override what they care about. */
export function serializedTask(taskId: string, overrides: Partial<SerializedTask> = {}): SerializedTask {
  return {
    taskId,
    operator: 'BashOperator',
    upstream: [],
    downstream: [],
    triggerRule: 'all_success',
    retries: 0,
    retryDelaySeconds: 300,
    retryExponentialBackoff: false,
    maxRetryDelaySeconds: null,
    executionTimeoutSeconds: null,
    dependsOnPast: false,
    waitForDownstream: false,
    pool: 'default_pool',
    poolSlots: 1,
    priorityWeight: 1,
    weightRule: 'downstream',
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
    ...overrides,
  };
}

export function serializedDag(dagId: string, overrides: Partial<SerializedDag> = {}): SerializedDag {
  return {
    format: 1,
    dagId,
    fileloc: `/dags/${dagId}.ts`,
    timetable: { kind: 'cron', expression: '0 0 * * *', timezone: 'UTC', summary: '@daily' },
    startDate: new Date(T0).toISOString(),
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
    tasks: [serializedTask('extract'), serializedTask('load')],
    taskGroups: [],
    ...overrides,
  };
}
