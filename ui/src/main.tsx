import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiProblem } from './api/problem.ts';
import { keys } from './api/query-keys.ts';
import { App } from './app/app.tsx';
import { toastBridge, ToastProvider, ToastBridge } from './components/toasts.tsx';
import './styles/theme.css';
import './styles/base.css';
import './styles/layout.css';
import './styles/overlays.css';
import './styles/dag.css';

/** A 401 anywhere means the session ended: drop to the login page instead of toasting. */
function onApiError(error: unknown, silent: boolean): void {
  if (error instanceof ApiProblem && error.status === 401) {
    queryClient.setQueryData(keys.me(), null);
    return;
  }
  if (!silent) toastBridge.current?.error(error);
}

const queryClient: QueryClient = new QueryClient({
  queryCache: new QueryCache({ onError: (error, query) => onApiError(error, query.meta?.['silent'] === true) }),
  mutationCache: new MutationCache({ onError: (error, _vars, _ctx, mutation) => onApiError(error, mutation.meta?.['silent'] === true) }),
  defaultOptions: {
    queries: {
      // Live updates come from SSE invalidations; polling is not needed, a focus refetch is cheap.
      staleTime: 10_000,
      retry: (failures, error) => !(error instanceof ApiProblem && error.status < 500) && failures < 2,
    },
  },
});

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <ToastProvider>
        <ToastBridge />
        <App />
      </ToastProvider>
    </QueryClientProvider>
  </StrictMode>,
);
