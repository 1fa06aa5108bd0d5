import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { ApiProblem } from '../api/problem.ts';

interface Toast {
  id: number;
  kind: 'error' | 'info';
  title: string;
  detail: string;
  code: string | null;
}

interface Toaster {
  error(error: unknown): void;
  info(title: string, detail?: string): void;
}

const ToastContext = createContext<Toaster | null>(null);
let nextId = 1;

/** Shows API problems as they are (title, detail, hint, code) so people see what the server said. */
function toastFromError(error: unknown): Omit<Toast, 'id'> {
  if (error instanceof ApiProblem) {
    const detail = [error.detail, error.hint].filter((part) => part !== undefined && part !== '').join(' — ');
    return { kind: 'error', title: error.title, detail, code: `${error.code} · HTTP ${error.status}${error.field === undefined ? '' : ` · ${error.field}`}` };
  }
  return { kind: 'error', title: 'Something went wrong', detail: error instanceof Error ? error.message : String(error), code: null };
}

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const dismiss = useCallback((id: number) => setToasts((all) => all.filter((toast) => toast.id !== id)), []);
  const push = useCallback(
    (toast: Omit<Toast, 'id'>) => {
      const id = nextId++;
      setToasts((all) => [...all.slice(-3), { ...toast, id }]);
      window.setTimeout(() => dismiss(id), toast.kind === 'error' ? 9000 : 4000);
    },
    [dismiss],
  );
  const toaster = useMemo<Toaster>(
    () => ({ error: (error) => push(toastFromError(error)), info: (title, detail = '') => push({ kind: 'info', title, detail, code: null }) }),
    [push],
  );
  return (
    <ToastContext.Provider value={toaster}>
      {children}
      <div className="toasts" role="status" aria-live="polite">
        {toasts.map((toast) => (
          <div key={toast.id} className={`toast ${toast.kind}`} role={toast.kind === 'error' ? 'alert' : undefined}>
            <div style={{ flex: 1, minWidth: 0 }}>
              <div className="toast-title">{toast.title}</div>
              {toast.detail !== '' && <div className="toast-detail">{toast.detail}</div>}
              {toast.code !== null && <div className="toast-code">{toast.code}</div>}
            </div>
            <button className="btn btn-ghost btn-sm" aria-label="Dismiss" onClick={() => dismiss(toast.id)}>
              ✕
            </button>
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}

export function useToaster(): Toaster {
  const toaster = useContext(ToastContext);
  if (toaster === null) throw new Error('useToaster outside ToastProvider');
  return toaster;
}

/** For code outside React (the query cache's error hook) to reach the toaster. */
export const toastBridge: { current: Toaster | null } = { current: null };
export function ToastBridge() {
  toastBridge.current = useToaster();
  return null;
}
