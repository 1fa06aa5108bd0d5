import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, apiGet } from '../api/client.ts';
import { setCsrfToken } from '../api/csrf.ts';
import { ApiProblem } from '../api/problem.ts';
import { keys } from '../api/query-keys.ts';
import type { Me } from '../api/types.ts';

/** The logged-in user, or null when the session is missing or expired (the app shows the login). */
export function useSession() {
  return useQuery({
    queryKey: keys.me(),
    queryFn: async (): Promise<Me | null> => {
      try {
        const me = await apiGet('/api/v1/auth/me', {});
        setCsrfToken(me.csrf_token);
        return me;
      } catch (error) {
        if (error instanceof ApiProblem && error.status === 401) return null;
        throw error;
      }
    },
    staleTime: 5 * 60_000,
    retry: false,
  });
}

export function useLogin() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (credentials: { username: string; password: string }) => api('post', '/api/v1/auth/login', { body: credentials }),
    meta: { silent: true },
    onSuccess: (me) => {
      setCsrfToken(me.csrf_token);
      client.setQueryData(keys.me(), me);
    },
  });
}

export function useLogout() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api('post', '/api/v1/auth/logout', {}),
    onSettled: () => {
      setCsrfToken(null);
      client.clear();
      client.setQueryData(keys.me(), null);
    },
  });
}

/** Roles, weakest first, as the server defines them; the UI hides actions a role cannot take. */
const ROLES = ['Viewer', 'User', 'Op', 'Admin'];
export function hasRole(me: Me | null | undefined, required: 'Viewer' | 'User' | 'Op' | 'Admin'): boolean {
  return me !== null && me !== undefined && ROLES.indexOf(me.user.role) >= ROLES.indexOf(required);
}
