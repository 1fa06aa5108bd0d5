import { useCallback, useState } from 'react';
import { useDagList, useDagTags, type DagFilters } from '../../api/hooks/dags.ts';
import type { Me } from '../../api/types.ts';
import { hasRole } from '../../auth/use-session.ts';
import { EmptyState, Loading } from '../../components/empty-state.tsx';
import { SearchInput } from '../../components/search-input.tsx';
import { TriggerDialog } from '../dag/trigger/trigger-dialog.tsx';
import { DagRow } from './dag-row.tsx';
import { ImportErrorBanner } from './import-error-banner.tsx';

const PAUSE_FILTERS = [
  ['All', undefined],
  ['Active', false],
  ['Paused', true],
] as const;

export function DagListPage({ me }: { me: Me }) {
  const [filters, setFilters] = useState<DagFilters>({ search: '', tags: [], paused: undefined });
  const [triggering, setTriggering] = useState<string | null>(null);
  const dags = useDagList(filters);
  const tags = useDagTags();
  const canEdit = hasRole(me, 'User');
  const setSearch = useCallback((search: string) => setFilters((all) => ({ ...all, search })), []);
  const toggleTag = (tag: string): void =>
    setFilters((all) => ({ ...all, tags: all.tags.includes(tag) ? all.tags.filter((t) => t !== tag) : [...all.tags, tag] }));
  const list = dags.data?.dags ?? [];

  return (
    <div className="page">
      <div className="page-header">
        <div className="grow">
          <h1>DAGs</h1>
          <div className="subtitle">{dags.data === undefined ? ' ' : `${dags.data.total_entries} DAG${dags.data.total_entries === 1 ? '' : 's'}`}</div>
        </div>
      </div>
      <ImportErrorBanner />
      <div className="toolbar">
        <SearchInput value={filters.search} onChange={setSearch} placeholder="Search DAGs" />
        <div className="segmented" role="group" aria-label="Filter by state">
          {PAUSE_FILTERS.map(([label, paused]) => (
            <button key={label} aria-pressed={filters.paused === paused} onClick={() => setFilters((all) => ({ ...all, paused }))}>
              {label}
            </button>
          ))}
        </div>
        {(tags.data ?? []).length > 0 && <span className="muted small" style={{ marginLeft: 8 }}>Tags</span>}
        {(tags.data ?? []).map((tag) => (
          <button key={tag} className={`tag${filters.tags.includes(tag) ? ' selected' : ''}`} onClick={() => toggleTag(tag)}>
            {tag}
          </button>
        ))}
      </div>
      <div className="table-wrap">
        <table className="table" aria-label="DAGs">
          <thead>
            <tr>
              <th />
              <th>DAG</th>
              <th>Owner</th>
              <th>Schedule</th>
              <th>Next run</th>
              <th>Recent runs</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {list.map((dag) => (
              <DagRow key={dag.dag_id} dag={dag} canEdit={canEdit} selectedTags={filters.tags} onTag={toggleTag} onTrigger={setTriggering} />
            ))}
          </tbody>
        </table>
        {dags.isPending && <Loading />}
        {dags.data !== undefined && list.length === 0 && (
          <EmptyState title={filters.search === '' && filters.tags.length === 0 && filters.paused === undefined ? 'No DAGs yet' : 'No DAGs match these filters'}>
            {filters.search === '' && filters.tags.length === 0 ? 'Put a DAG file in the DAGs folder; it shows up here within seconds.' : 'Clear the search or the tag filters.'}
          </EmptyState>
        )}
      </div>
      {triggering !== null && <TriggerDialog dagId={triggering} onClose={() => setTriggering(null)} />}
    </div>
  );
}
