import type { UiDag } from '../../api/serialized-dag.ts';
import type { Dag } from '../../api/types.ts';
import { RelativeTime } from '../../components/relative-time.tsx';

interface DetailsViewProps {
  details: { dag: Dag; version: { version_number: number; created_at: string }; graph: UiDag };
}

/** The DAG's settings, params and documentation. */
export function DetailsView({ details }: DetailsViewProps) {
  const { dag, version, graph } = details;
  return (
    <div className="card card-body" style={{ display: 'flex', flexDirection: 'column', gap: 18, overflow: 'auto' }}>
      {graph.docMd !== null && <div className="doc">{graph.docMd}</div>}
      <dl className="kv">
        <dt>Schedule</dt>
        <dd>
          <code>{dag.timetable_summary || 'None'}</code> <span className="muted">({graph.timezone})</span>
        </dd>
        <dt>File</dt>
        <dd className="mono">{dag.fileloc}</dd>
        <dt>Version</dt>
        <dd>
          v{version.version_number} · <RelativeTime iso={version.created_at} />
        </dd>
        <dt>Last parsed</dt>
        <dd>
          <RelativeTime iso={dag.last_parsed_at} />
        </dd>
        <dt>Max active runs</dt>
        <dd>{dag.max_active_runs}</dd>
        <dt>Max active tasks</dt>
        <dd>{dag.max_active_tasks}</dd>
        <dt>Tasks</dt>
        <dd>{graph.tasks.length}</dd>
      </dl>
      <div>
        <h3 style={{ marginBottom: 8 }}>Params</h3>
        {Object.keys(graph.params).length === 0 ? (
          <div className="muted small">No params.</div>
        ) : (
          <pre className="code-block">{JSON.stringify(Object.fromEntries(Object.entries(graph.params).map(([name, param]) => [name, param.default ?? null])), null, 2)}</pre>
        )}
      </div>
    </div>
  );
}
