import { useState } from 'react';
import type { Dag } from '../../api/types.ts';
import { Link } from '../../app/router.tsx';
import { PauseToggle } from '../../components/pause-toggle.tsx';
import { RelativeTime } from '../../components/relative-time.tsx';
import { TriggerDialog } from './trigger/trigger-dialog.tsx';

export function DagHeader({ dag, canEdit }: { dag: Dag; canEdit: boolean }) {
  const [triggering, setTriggering] = useState(false);
  return (
    <div className="page-header">
      <div className="grow" style={{ display: 'flex', flexDirection: 'column', gap: 4 }}>
        <div className="breadcrumb">
          <Link to="/dags">DAGs</Link>
          <span>/</span>
        </div>
        <div style={{ display: 'flex', alignItems: 'center', gap: 12 }}>
          <PauseToggle dagId={dag.dag_id} paused={dag.is_paused} disabled={!canEdit} />
          <h1>{dag.dag_id}</h1>
          {dag.tags.map((tag) => (
            <span key={tag} className="tag">
              {tag}
            </span>
          ))}
        </div>
        <div className="dag-facts small">
          <span>
            Schedule <code className="schedule">{dag.timetable_summary || 'None'}</code>
          </span>
          <span>
            Next run {dag.is_paused || dag.next_dagrun_create_after === null ? <span className="muted">{dag.is_paused ? 'paused' : '—'}</span> : <RelativeTime iso={dag.next_dagrun_create_after} />}
          </span>
          {dag.owners.length > 0 && <span>Owner {dag.owners.join(', ')}</span>}
          {dag.description !== null && <span className="muted">{dag.description}</span>}
        </div>
      </div>
      <button className="btn btn-primary" disabled={!canEdit} onClick={() => setTriggering(true)}>
        ▶ Trigger
      </button>
      {triggering && <TriggerDialog dagId={dag.dag_id} onClose={() => setTriggering(false)} />}
    </div>
  );
}
