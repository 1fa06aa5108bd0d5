import { useRecentRuns } from '../../api/hooks/runs.ts';
import { Link } from '../../app/router.tsx';
import { stateColor, stateLabel } from '../../lib/states.ts';
import { formatExact } from '../../lib/time.ts';

/** The latest runs as coloured bars, oldest left, each a link to the run in the grid. */
export function RecentRuns({ dagId }: { dagId: string }) {
  const runs = useRecentRuns(dagId);
  const list = [...(runs.data?.dag_runs ?? [])].reverse();
  if (list.length === 0) return <span className="muted small">No runs yet</span>;
  return (
    <div className="recent-runs" aria-label="Recent runs">
      {list.map((run) => (
        <Link
          key={run.run_id}
          to={`/dags/${encodeURIComponent(dagId)}?run=${encodeURIComponent(run.run_id)}`}
          className="recent-run"
          title={`${run.run_id}\n${stateLabel(run.state)} · ${formatExact(run.logical_date ?? run.run_after)}`}
        >
          <span style={{ background: stateColor(run.state) }} />
        </Link>
      ))}
    </div>
  );
}
