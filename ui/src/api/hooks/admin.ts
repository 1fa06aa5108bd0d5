import { useMutation, useQuery, useQueryClient, type QueryKey } from '@tanstack/react-query';
import { api, apiGet } from '../client.ts';
import { keys } from '../query-keys.ts';

export const useVariables = () => useQuery({ queryKey: keys.variables(), queryFn: ({ signal }) => apiGet('/api/v1/variables', { query: { limit: 1000, offset: 0 }, signal }) });
export const useConnections = () => useQuery({ queryKey: keys.connections(), queryFn: ({ signal }) => apiGet('/api/v1/connections', { query: { limit: 1000, offset: 0 }, signal }) });
export const usePools = () => useQuery({ queryKey: keys.pools(), queryFn: ({ signal }) => apiGet('/api/v1/pools', { query: { limit: 1000, offset: 0 }, signal }) });
export const useUsers = () => useQuery({ queryKey: keys.users(), queryFn: ({ signal }) => apiGet('/api/v1/users', { signal }) });

/** A write that refreshes one admin list when it succeeds. */
function useAdminMutation<Input, Output>(queryKey: QueryKey, write: (input: Input) => Promise<Output>) {
  const client = useQueryClient();
  return useMutation({ mutationFn: write, onSuccess: () => client.invalidateQueries({ queryKey }) });
}

export interface VariableInput {
  key: string;
  value: string;
  description: string | null;
  is_encrypted: boolean;
}
export const useSaveVariable = () => useAdminMutation(keys.variables(), (body: VariableInput) => api('post', '/api/v1/variables', { body }));
export const useDeleteVariable = () => useAdminMutation(keys.variables(), (key: string) => api('delete', '/api/v1/variables/{key}', { path: { key } }));

export interface ConnectionInput {
  connection_id: string;
  conn_type: string;
  description: string | null;
  host: string | null;
  schema: string | null;
  login: string | null;
  port: number | null;
  /** Omitted to keep the stored password. */
  password?: string;
}
export const useSaveConnection = () =>
  useAdminMutation(keys.connections(), ({ connection_id, ...fields }: ConnectionInput & { isNew: boolean }) => {
    const { isNew, ...body } = fields;
    return isNew
      ? api('post', '/api/v1/connections', { body: { connection_id, ...body } })
      : api('patch', '/api/v1/connections/{connection_id}', { path: { connection_id }, body });
  });
export const useDeleteConnection = () => useAdminMutation(keys.connections(), (id: string) => api('delete', '/api/v1/connections/{connection_id}', { path: { connection_id: id } }));

export interface PoolInput {
  name: string;
  slots: number;
  description: string | null;
}
export const useSavePool = () => useAdminMutation(keys.pools(), (body: PoolInput) => api('post', '/api/v1/pools', { body }));
export const useDeletePool = () => useAdminMutation(keys.pools(), (name: string) => api('delete', '/api/v1/pools/{pool_name}', { path: { pool_name: name } }));

export interface UserInput {
  username: string;
  password: string;
  role: 'Viewer' | 'User' | 'Op' | 'Admin';
  first_name: string;
  last_name: string;
  email: string;
}
export const useCreateUser = () => useAdminMutation(keys.users(), (body: UserInput) => api('post', '/api/v1/users', { body }));
export const useDeleteUser = () => useAdminMutation(keys.users(), (username: string) => api('delete', '/api/v1/users/{username}', { path: { username } }));
