import type { ReactNode } from 'react';

/** What the run and task instance panels let an editor do: clear, or mark success or failed. */
export type StateAction = 'clear' | 'success' | 'failed';

/** A panel's action bar: Clear, Mark success, Mark failed, then what the panel adds (`children`). */
export function StateActionButtons({ canEdit, onAction, children }: { canEdit: boolean; onAction: (action: StateAction) => void; children?: ReactNode }) {
  return (
    <div className="panel-actions">
      <button className="btn btn-sm" disabled={!canEdit} onClick={() => onAction('clear')}>
        ↻ Clear
      </button>
      <button className="btn btn-sm" disabled={!canEdit} onClick={() => onAction('success')}>
        Mark success
      </button>
      <button className="btn btn-sm btn-danger" disabled={!canEdit} onClick={() => onAction('failed')}>
        Mark failed
      </button>
      {children}
    </div>
  );
}
