import type { ReactNode } from 'react';

export function AdminHeader({ title, subtitle, action }: { title: string; subtitle: string; action?: ReactNode }) {
  return (
    <div className="page-header">
      <div className="grow">
        <h1>{title}</h1>
        <div className="subtitle">{subtitle}</div>
      </div>
      {action}
    </div>
  );
}
