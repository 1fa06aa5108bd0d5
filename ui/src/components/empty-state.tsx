import type { ReactNode } from 'react';

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty">
      <svg width="40" height="40" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.5" aria-hidden="true">
        <path d="M3 7h18M3 12h18M3 17h11" strokeLinecap="round" />
      </svg>
      <div className="empty-title">{title}</div>
      {children !== undefined && <div>{children}</div>}
    </div>
  );
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="empty" aria-busy="true">
      <div className="spinner" />
      <div>{label}</div>
    </div>
  );
}
