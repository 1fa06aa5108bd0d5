import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, apiGet } from '../client.ts';
import { keys } from '../query-keys.ts';
import { readSerializedDag } from '../serialized-dag.ts';
import type { Dag } from '../types.ts';

export interface DagFilters {
  search: string;
  tags: string[];
  paused: boolean | undefined;
}

export function useDagList(filters: DagFilters) {
  return useQuery({
    queryKey: keys.dagList(filters),
    queryFn: ({ signal }) =>
      apiGet('/api/v1/dags', {
        query: { limit: 1000, offset: 0, search: filters.search === '' ? undefined : filters.search, tags: filters.tags.length === 0 ? undefined : filters.tags, paused: filters.paused },
        signal,
      }),
    placeholderData: keepPreviousData,
  });
}

/** Every tag in use, for the filter chips (from the unfiltered list, so chips do not vanish). */
export function useDagTags() {
  return useQuery({
    queryKey: keys.dagTags(),
    queryFn: async ({ signal }) => {
      const all = await apiGet('/api/v1/dags', { query: { limit: 1000, offset: 0 }, signal });
      return [...new Set(all.dags.flatMap((dag) => dag.tags))].sort();
    },
  });
}

export function useDagDetails(dagId: string) {
  return useQuery({
    queryKey: keys.dagDetails(dagId),
    queryFn: async ({ signal }) => {
      const details = await apiGet('/api/v1/dags/{dag_id}/details', { path: { dag_id: dagId }, signal });
      return { ...details, graph: readSerializedDag(details.serialized_dag) };
    },
  });
}

export function useDagVersions(dagId: string) {
  return useQuery({ queryKey: keys.dagVersions(dagId), queryFn: ({ signal }) => apiGet('/api/v1/dags/{dag_id}/versions', { path: { dag_id: dagId }, signal }) });
}

export function useDagSource(dagId: string, version: number | null) {
  return useQuery({
    queryKey: keys.dagSource(dagId, version),
    queryFn: ({ signal }) => apiGet('/api/v1/dagSources/{dag_id}', { path: { dag_id: dagId }, query: { version_number: version ?? undefined }, signal }),
  });
}

/** Pause or unpause, updating the lists at once (optimistic) and rolling back on error. */
export function usePauseDag() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ dagId, paused }: { dagId: string; paused: boolean }) => api('patch', '/api/v1/dags/{dag_id}', { path: { dag_id: dagId }, body: { is_paused: paused } }),
    onMutate: ({ dagId, paused }) => {
      const lists = client.getQueriesData<{ dags: Dag[] }>({ queryKey: [...keys.dags(), 'list'] });
      for (const [key, data] of lists) {
        if (data !== undefined) client.setQueryData(key, { ...data, dags: data.dags.map((dag) => (dag.dag_id === dagId ? { ...dag, is_paused: paused } : dag)) });
      }
      return { lists };
    },
    onError: (_error, _vars, context) => {
      for (const [key, data] of context?.lists ?? []) client.setQueryData(key, data);
    },
    onSettled: (_data, _error, { dagId }) => {
      void client.invalidateQueries({ queryKey: keys.dags() });
      void client.invalidateQueries({ queryKey: keys.dag(dagId) });
    },
  });
}

export function useImportErrors() {
  return useQuery({ queryKey: keys.importErrors(), queryFn: ({ signal }) => apiGet('/api/v1/importErrors', { query: { limit: 100, offset: 0 }, signal }) });
}
