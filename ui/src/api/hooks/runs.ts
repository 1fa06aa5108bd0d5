import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, apiGet } from '../client.ts';
import { keys } from '../query-keys.ts';

const RECENT_RUNS = 14;

/** The latest runs of a DAG, for the status dots of the DAG list. */
export function useRecentRuns(dagId: string) {
  return useQuery({
    queryKey: keys.recentRuns(dagId),
    queryFn: ({ signal }) => apiGet('/api/v1/dags/{dag_id}/dagRuns', { path: { dag_id: dagId }, query: { limit: RECENT_RUNS, offset: 0 }, signal }),
  });
}

/** Compact runs × tasks states (one request, small even at 1,000 runs × 50 tasks). */
export function useGrid(dagId: string, limit: number) {
  return useQuery({
    queryKey: keys.gridPage(dagId, limit),
    queryFn: ({ signal }) => apiGet('/api/v1/dags/{dag_id}/grid', { path: { dag_id: dagId }, query: { limit, offset: 0 }, signal }),
    placeholderData: keepPreviousData,
  });
}

export function useDagRun(dagId: string, runId: string | null) {
  return useQuery({
    queryKey: keys.run(dagId, runId ?? ''),
    queryFn: ({ signal }) => apiGet('/api/v1/dags/{dag_id}/dagRuns/{run_id}', { path: { dag_id: dagId, run_id: runId ?? '' }, signal }),
    enabled: runId !== null,
  });
}

export function useRunTaskInstances(dagId: string, runId: string | null) {
  return useQuery({
    queryKey: keys.runTasks(dagId, runId ?? ''),
    queryFn: ({ signal }) => apiGet('/api/v1/dags/{dag_id}/dagRuns/{run_id}/taskInstances', { path: { dag_id: dagId, run_id: runId ?? '' }, signal }),
    enabled: runId !== null,
  });
}

export interface RunFilters {
  dagId: string;
  state: string;
  offset: number;
}

export function useAllRuns(filters: RunFilters) {
  return useQuery({
    queryKey: keys.runList(filters),
    queryFn: ({ signal }) =>
      apiGet('/api/v1/dagRuns', {
        query: {
          limit: 50,
          offset: filters.offset,
          dag_id: filters.dagId === '' ? undefined : filters.dagId,
          state: filters.state === '' ? undefined : [filters.state as 'queued' | 'running' | 'success' | 'failed'],
        },
        signal,
      }),
    placeholderData: keepPreviousData,
  });
}

export interface TriggerInput {
  dagId: string;
  conf: Record<string, unknown>;
  logicalDate: string | null;
  runId: string | null;
  note: string | null;
}

export function useTriggerRun() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: TriggerInput) =>
      api('post', '/api/v1/dags/{dag_id}/dagRuns', {
        path: { dag_id: input.dagId },
        body: {
          conf: input.conf,
          ...(input.logicalDate === null ? {} : { logical_date: input.logicalDate }),
          ...(input.runId === null ? {} : { dag_run_id: input.runId }),
          ...(input.note === null ? {} : { note: input.note }),
        },
      }),
    onSuccess: (_run, input) => {
      void client.invalidateQueries({ queryKey: keys.grid(input.dagId) });
      void client.invalidateQueries({ queryKey: keys.recentRuns(input.dagId) });
      void client.invalidateQueries({ queryKey: keys.runs() });
    },
  });
}

export function useSetRunState() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ dagId, runId, state }: { dagId: string; runId: string; state: 'success' | 'failed' }) =>
      api('patch', '/api/v1/dags/{dag_id}/dagRuns/{run_id}', { path: { dag_id: dagId, run_id: runId }, body: { state } }),
    onSuccess: (_run, { dagId }) => {
      void client.invalidateQueries({ queryKey: keys.grid(dagId) });
      void client.invalidateQueries({ queryKey: keys.runs() });
    },
  });
}

/** Clears a run; with dryRun it only returns what would be cleared (the preview). */
export function useClearRun() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ dagId, runId, dryRun, onlyFailed }: { dagId: string; runId: string; dryRun: boolean; onlyFailed: boolean }) =>
      api('post', '/api/v1/dags/{dag_id}/dagRuns/{run_id}/clear', { path: { dag_id: dagId, run_id: runId }, body: { dry_run: dryRun, only_failed: onlyFailed } }),
    onSuccess: (_plan, { dagId, dryRun }) => {
      if (dryRun) return;
      void client.invalidateQueries({ queryKey: keys.grid(dagId) });
      void client.invalidateQueries({ queryKey: keys.runs() });
    },
  });
}
