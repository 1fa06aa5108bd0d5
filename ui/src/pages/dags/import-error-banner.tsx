import { useState } from 'react';
import { useImportErrors } from '../../api/hooks/dags.ts';
import { RelativeTime } from '../../components/relative-time.tsx';

/** Broken DAG files, shown until the file is fixed (the SSE `import_errors` event refreshes it). */
export function ImportErrorBanner() {
  const errors = useImportErrors();
  const [open, setOpen] = useState(false);
  const list = errors.data?.import_errors ?? [];
  if (list.length === 0) return null;
  return (
    <div className="banner" role="alert" data-testid="import-errors">
      <span aria-hidden="true" style={{ color: 'var(--danger)', fontSize: 18, lineHeight: 1 }}>
        ⚠
      </span>
      <div style={{ flex: 1, minWidth: 0 }}>
        <div style={{ display: 'flex', alignItems: 'center', gap: 10 }}>
          <span className="banner-title">
            {list.length === 1 ? '1 DAG file failed to import' : `${list.length} DAG files failed to import`}
          </span>
          <button className="btn btn-sm btn-ghost" onClick={() => setOpen((was) => !was)} aria-expanded={open}>
            {open ? 'Hide details' : 'Show details'}
          </button>
        </div>
        {open &&
          list.map((error) => (
            <div key={error.filename} style={{ marginTop: 10 }}>
              <div className="mono small">
                {error.filename} <span className="muted">· {error.code} ·</span> <RelativeTime iso={error.timestamp} />
              </div>
              <pre className="mono small">{error.message}</pre>
            </div>
          ))}
        {!open && <div className="small muted mono" style={{ marginTop: 2 }}>{list.map((error) => error.filename.split('/').pop()).join(', ')}</div>}
      </div>
    </div>
  );
}
