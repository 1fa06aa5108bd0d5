import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, apiGet } from '../client.ts';
import { keys } from '../query-keys.ts';

export interface TiRef {
  dagId: string;
  runId: string;
  taskId: string;
}

const tiPath = (ref: TiRef) => ({ dag_id: ref.dagId, run_id: ref.runId, task_id: ref.taskId });

export function useTaskInstance(ref: TiRef) {
  return useQuery({
    queryKey: keys.taskInstance(ref.dagId, ref.runId, ref.taskId),
    queryFn: ({ signal }) => apiGet('/api/v1/dags/{dag_id}/dagRuns/{run_id}/taskInstances/{task_id}', { path: tiPath(ref), signal }),
  });
}

export function useTries(ref: TiRef) {
  return useQuery({
    queryKey: keys.tries(ref.dagId, ref.runId, ref.taskId),
    queryFn: ({ signal }) => apiGet('/api/v1/dags/{dag_id}/dagRuns/{run_id}/taskInstances/{task_id}/tries', { path: tiPath(ref), signal }),
  });
}

export function useRenderedFields(ref: TiRef, tryNumber: number) {
  return useQuery({
    queryKey: keys.rendered(ref.dagId, ref.runId, ref.taskId, tryNumber),
    queryFn: ({ signal }) => apiGet('/api/v1/dags/{dag_id}/dagRuns/{run_id}/taskInstances/{task_id}/renderedFields', { path: tiPath(ref), query: { try_number: tryNumber }, signal }),
    enabled: tryNumber > 0,
  });
}

export function useXComs(ref: TiRef) {
  return useQuery({
    queryKey: keys.xcom(ref.dagId, ref.runId, ref.taskId),
    queryFn: ({ signal }) => apiGet('/api/v1/dags/{dag_id}/dagRuns/{run_id}/taskInstances/{task_id}/xcomEntries', { path: tiPath(ref), signal }),
  });
}

export interface TaskActionInput extends TiRef {
  dryRun: boolean;
  upstream: boolean;
  downstream: boolean;
}

/** Clear one task in one run (and optionally its relatives); dryRun returns the preview. */
export function useClearTask() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: TaskActionInput & { onlyFailed: boolean }) =>
      api('post', '/api/v1/dags/{dag_id}/clearTaskInstances', {
        path: { dag_id: input.dagId },
        body: { dag_run_id: input.runId, task_ids: [input.taskId], include_upstream: input.upstream, include_downstream: input.downstream, only_failed: input.onlyFailed, dry_run: input.dryRun },
      }),
    onSuccess: (_plan, input) => {
      if (input.dryRun) return;
      void client.invalidateQueries({ queryKey: keys.grid(input.dagId) });
      void client.invalidateQueries({ queryKey: keys.run(input.dagId, input.runId) });
    },
  });
}

/** Mark a task success, failed or skipped; dryRun returns the preview. */
export function useSetTaskState() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: TaskActionInput & { state: 'success' | 'failed' | 'skipped' }) =>
      api('patch', '/api/v1/dags/{dag_id}/dagRuns/{run_id}/taskInstances/{task_id}', {
        path: tiPath(input),
        body: { state: input.state, include_upstream: input.upstream, include_downstream: input.downstream, dry_run: input.dryRun },
      }),
    onSuccess: (_changes, input) => {
      if (input.dryRun) return;
      void client.invalidateQueries({ queryKey: keys.grid(input.dagId) });
      void client.invalidateQueries({ queryKey: keys.run(input.dagId, input.runId) });
    },
  });
}
