import { useState, type ReactNode } from 'react';
import { useDagRun } from '../../../api/hooks/runs.ts';
import { Loading } from '../../../components/empty-state.tsx';
import { RelativeTime } from '../../../components/relative-time.tsx';
import { StateBadge } from '../../../components/state-badge.tsx';
import { formatDuration, formatShort, spanMs } from '../../../lib/time.ts';
import { useNow } from '../../../lib/use-now.ts';
import { RunActionDialog, type RunAction } from './run-action-dialog.tsx';
import { StateActionButtons } from './state-action-buttons.tsx';

/** A run's facts, its conf and the run-level actions. */
export function RunPanel({ dagId, runId, canEdit, closeButton }: { dagId: string; runId: string; canEdit: boolean; closeButton: ReactNode }) {
  const run = useDagRun(dagId, runId);
  const [action, setAction] = useState<RunAction | null>(null);
  const now = useNow(1000);
  if (run.data === undefined) return <Loading />;
  const data = run.data;
  return (
    <div className="panel" data-testid="run-panel">
      <div className="panel-header">
        <div style={{ minWidth: 0, flex: 1 }}>
          <div className="small muted">Run</div>
          <h2 className="mono ellipsis" title={data.run_id}>
            {data.run_id}
          </h2>
        </div>
        <StateBadge state={data.state} />
        {closeButton}
      </div>
      <StateActionButtons canEdit={canEdit} onAction={setAction} />
      <div className="panel-body">
        <dl className="kv">
          <dt>Type</dt>
          <dd>{data.run_type}</dd>
          <dt>Logical date</dt>
          <dd>
            <RelativeTime iso={data.logical_date} />
          </dd>
          <dt>Data interval</dt>
          <dd className="small" title={`${data.data_interval_start ?? ''} → ${data.data_interval_end ?? ''}`}>
            {data.data_interval_start === null ? '—' : `${formatShort(data.data_interval_start)} → ${data.data_interval_end === null ? '' : formatShort(data.data_interval_end)}`}
          </dd>
          <dt>Started</dt>
          <dd>
            <RelativeTime iso={data.start_date} fallback="not yet" />
          </dd>
          <dt>Ended</dt>
          <dd>
            <RelativeTime iso={data.end_date} fallback="—" />
          </dd>
          <dt>Duration</dt>
          <dd>{formatDuration(spanMs(data.start_date, data.end_date, now))}</dd>
          <dt>Triggered by</dt>
          <dd>{data.triggered_by}</dd>
          {data.note !== null && (
            <>
              <dt>Note</dt>
              <dd>{data.note}</dd>
            </>
          )}
        </dl>
        <h3 style={{ margin: '16px 0 6px' }}>Conf</h3>
        <pre className="code-block" data-testid="run-conf">
          {JSON.stringify(data.conf, null, 2)}
        </pre>
      </div>
      {action !== null && <RunActionDialog action={action} dagId={dagId} runId={runId} onClose={() => setAction(null)} />}
    </div>
  );
}
