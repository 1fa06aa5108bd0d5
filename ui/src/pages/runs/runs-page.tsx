import { useCallback, useState } from 'react';
import { useAllRuns, type RunFilters } from '../../api/hooks/runs.ts';
import { Link } from '../../app/router.tsx';
import { EmptyState, Loading } from '../../components/empty-state.tsx';
import { RelativeTime } from '../../components/relative-time.tsx';
import { SearchInput } from '../../components/search-input.tsx';
import { StateBadge } from '../../components/state-badge.tsx';
import { formatDuration, spanMs } from '../../lib/time.ts';
import { useNow } from '../../lib/use-now.ts';

const STATES = ['', 'queued', 'running', 'success', 'failed'];
const PAGE = 50;

/** Every DAG run, newest first, filterable by DAG and state. */
export function RunsPage() {
  const [filters, setFilters] = useState<RunFilters>({ dagId: '', state: '', offset: 0 });
  const runs = useAllRuns(filters);
  const now = useNow(1000);
  const setDag = useCallback((dagId: string) => setFilters((all) => ({ ...all, dagId, offset: 0 })), []);
  const total = runs.data?.total_entries ?? 0;
  const list = runs.data?.dag_runs ?? [];
  return (
    <div className="page">
      <div className="page-header">
        <div className="grow">
          <h1>DAG runs</h1>
          <div className="subtitle">{runs.data === undefined ? ' ' : `${total} run${total === 1 ? '' : 's'}`}</div>
        </div>
      </div>
      <div className="toolbar">
        <SearchInput value={filters.dagId} onChange={setDag} placeholder="DAG id" />
        <select className="select" aria-label="State" value={filters.state} onChange={(event) => setFilters((all) => ({ ...all, state: event.target.value, offset: 0 }))}>
          {STATES.map((state) => (
            <option key={state} value={state}>
              {state === '' ? 'Any state' : state}
            </option>
          ))}
        </select>
      </div>
      <div className="table-wrap">
        <table className="table" aria-label="DAG runs">
          <thead>
            <tr>
              <th>DAG</th>
              <th>Run</th>
              <th>State</th>
              <th>Type</th>
              <th>Logical date</th>
              <th>Started</th>
              <th className="num">Duration</th>
            </tr>
          </thead>
          <tbody>
            {list.map((run) => (
              <tr key={`${run.dag_id}/${run.run_id}`}>
                <td>
                  <Link to={`/dags/${encodeURIComponent(run.dag_id)}`}>{run.dag_id}</Link>
                </td>
                <td className="mono small">
                  <Link to={`/dags/${encodeURIComponent(run.dag_id)}?run=${encodeURIComponent(run.run_id)}`}>{run.run_id}</Link>
                </td>
                <td>
                  <StateBadge state={run.state} />
                </td>
                <td className="small">{run.run_type}</td>
                <td className="small">
                  <RelativeTime iso={run.logical_date} />
                </td>
                <td className="small">
                  <RelativeTime iso={run.start_date} fallback="not yet" />
                </td>
                <td className="num small">{formatDuration(spanMs(run.start_date, run.end_date, now))}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {runs.isPending && <Loading />}
        {runs.data !== undefined && list.length === 0 && <EmptyState title="No runs match">Runs appear here as soon as they are scheduled or triggered.</EmptyState>}
      </div>
      {total > PAGE && (
        <div className="toolbar" style={{ justifyContent: 'flex-end' }}>
          <span className="small muted">
            {filters.offset + 1}–{Math.min(total, filters.offset + PAGE)} of {total}
          </span>
          <button className="btn btn-sm" disabled={filters.offset === 0} onClick={() => setFilters((all) => ({ ...all, offset: Math.max(0, all.offset - PAGE) }))}>
            Previous
          </button>
          <button className="btn btn-sm" disabled={filters.offset + PAGE >= total} onClick={() => setFilters((all) => ({ ...all, offset: all.offset + PAGE }))}>
            Next
          </button>
        </div>
      )}
    </div>
  );
}
