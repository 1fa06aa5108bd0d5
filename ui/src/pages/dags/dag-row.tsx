import type { Dag } from '../../api/types.ts';
import { Link } from '../../app/router.tsx';
import { PauseToggle } from '../../components/pause-toggle.tsx';
import { RelativeTime } from '../../components/relative-time.tsx';
import { RecentRuns } from './recent-runs.tsx';

interface DagRowProps {
  dag: Dag;
  canEdit: boolean;
  selectedTags: string[];
  onTag: (tag: string) => void;
  onTrigger: (dagId: string) => void;
}

export function DagRow({ dag, canEdit, selectedTags, onTag, onTrigger }: DagRowProps) {
  const href = `/dags/${encodeURIComponent(dag.dag_id)}`;
  return (
    <tr data-dag-id={dag.dag_id}>
      <td style={{ width: 56 }}>
        <PauseToggle dagId={dag.dag_id} paused={dag.is_paused} disabled={!canEdit} />
      </td>
      <td>
        <div style={{ display: 'flex', flexDirection: 'column', gap: 4 }}>
          <Link to={href} className="dag-link">
            {dag.dag_id}
          </Link>
          {dag.description !== null && <div className="small muted">{dag.description}</div>}
          {dag.tags.length > 0 && (
            <div style={{ display: 'flex', gap: 4, flexWrap: 'wrap' }}>
              {dag.tags.map((tag) => (
                <button key={tag} className={`tag${selectedTags.includes(tag) ? ' selected' : ''}`} onClick={() => onTag(tag)}>
                  {tag}
                </button>
              ))}
            </div>
          )}
        </div>
      </td>
      <td className="small">{dag.owners.join(', ') || <span className="muted">—</span>}</td>
      <td>
        <code className="schedule">{dag.timetable_summary || 'None'}</code>
      </td>
      <td className="small">
        {dag.is_paused || dag.next_dagrun_create_after === null ? <span className="muted">—</span> : <RelativeTime iso={dag.next_dagrun_create_after} />}
      </td>
      <td>
        <RecentRuns dagId={dag.dag_id} />
      </td>
      <td className="num">
        <button className="btn btn-sm" disabled={!canEdit} onClick={() => onTrigger(dag.dag_id)} aria-label={`Trigger ${dag.dag_id}`} title="Trigger a run">
          ▶ Trigger
        </button>
      </td>
    </tr>
  );
}
