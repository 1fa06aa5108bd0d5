/**
 * Query keys, one prefix per resource, so an SSE event can invalidate exactly what it changed
 * (TanStack Query matches keys by prefix).
 */
export const keys = {
  me: () => ['me'] as const,
  dags: () => ['dags'] as const,
  dagList: (filters: object) => ['dags', 'list', filters] as const,
  dagTags: () => ['dags', 'tags'] as const,
  recentRuns: (dagId: string) => ['dags', 'recent-runs', dagId] as const,
  dag: (dagId: string) => ['dag', dagId] as const,
  dagDetails: (dagId: string) => ['dag', dagId, 'details'] as const,
  dagVersions: (dagId: string) => ['dag', dagId, 'versions'] as const,
  dagSource: (dagId: string, version: number | null) => ['dag', dagId, 'source', version] as const,
  grid: (dagId: string) => ['grid', dagId] as const,
  gridPage: (dagId: string, limit: number) => ['grid', dagId, limit] as const,
  runs: () => ['runs'] as const,
  runList: (filters: object) => ['runs', 'list', filters] as const,
  run: (dagId: string, runId: string) => ['runs', dagId, runId] as const,
  runTasks: (dagId: string, runId: string) => ['runs', dagId, runId, 'task-instances'] as const,
  taskInstance: (dagId: string, runId: string, taskId: string) => ['runs', dagId, runId, 'ti', taskId] as const,
  tries: (dagId: string, runId: string, taskId: string) => ['runs', dagId, runId, 'ti', taskId, 'tries'] as const,
  rendered: (dagId: string, runId: string, taskId: string, tryNumber: number) => ['runs', dagId, runId, 'ti', taskId, 'rendered', tryNumber] as const,
  xcom: (dagId: string, runId: string, taskId: string) => ['runs', dagId, runId, 'ti', taskId, 'xcom'] as const,
  importErrors: () => ['import-errors'] as const,
  variables: () => ['variables'] as const,
  connections: () => ['connections'] as const,
  pools: () => ['pools'] as const,
  users: () => ['users'] as const,
  health: () => ['health'] as const,
};

export type QueryKey = readonly unknown[];

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/**
 * What an event of the `/api/v1/events` stream makes stale. Pure, so it is unit-tested
 * (test/ui/event-invalidation.test.ts) and the SSE hook stays a thin adapter.
 */
export function keysToInvalidate(event: string, data: Record<string, unknown>): QueryKey[] {
  const dagId = text(data['dag_id']);
  const runId = text(data['run_id']);
  switch (event) {
    case 'dag_run':
      // Run lists anywhere (the Runs page, run headers) plus this DAG's grid and recent-run dots.
      return dagId === null ? [keys.dags(), keys.runs()] : [keys.grid(dagId), keys.recentRuns(dagId), keys.runs()];
    case 'task_instance':
      // keys.run is the prefix of the run's task instances, tries, rendered fields and XComs.
      if (dagId === null) return [keys.runs()];
      return runId === null ? [keys.grid(dagId), keys.runs()] : [keys.grid(dagId), keys.run(dagId, runId)];
    case 'dag':
      return dagId === null ? [keys.dags(), ['dag']] : [keys.dags(), keys.dag(dagId), keys.grid(dagId)];
    case 'import_errors':
      return [keys.importErrors(), keys.dags()];
    default:
      return [];
  }
}
