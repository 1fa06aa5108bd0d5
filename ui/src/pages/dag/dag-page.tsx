import { lazy, Suspense } from 'react';
import { useDagDetails } from '../../api/hooks/dags.ts';
import type { Me } from '../../api/types.ts';
import { navigate, useLocation, withSearch } from '../../app/router.tsx';
import { hasRole } from '../../auth/use-session.ts';
import { EmptyState, Loading } from '../../components/empty-state.tsx';
import { CodeView } from './code/code-view.tsx';
import { DagHeader } from './dag-header.tsx';
import { DetailsView } from './details-view.tsx';
import { GanttView } from './gantt/gantt-view.tsx';
import { GridView } from './grid/grid-view.tsx';
import { SidePanel } from './side-panel.tsx';

// The graph pulls in ELK and React Flow (most of the bundle): loaded when the tab is first opened.
const GraphView = lazy(() => import('./graph/graph-view.tsx').then((module) => ({ default: module.GraphView })));

const TABS = [
  ['grid', 'Grid'],
  ['graph', 'Graph'],
  ['gantt', 'Gantt'],
  ['code', 'Code'],
  ['details', 'Details'],
] as const;
type Tab = (typeof TABS)[number][0];

/** One DAG: views on the left (selected by ?tab=), the selected run or task on the right. */
export function DagPage({ dagId, me }: { dagId: string; me: Me }) {
  const { search } = useLocation();
  const details = useDagDetails(dagId);
  const tab: Tab = TABS.some(([id]) => id === search.get('tab')) ? (search.get('tab') as Tab) : 'grid';
  const run = search.get('run');
  const task = search.get('task');
  const select = (selection: { run: string | null; task: string | null }): void => navigate(withSearch(selection), { replace: true });
  const canEdit = hasRole(me, 'User');

  if (details.isPending) return <Loading label={`Loading ${dagId}…`} />;
  if (details.data === undefined)
    return (
      <div className="page">
        <EmptyState title={`DAG "${dagId}" was not found`}>It may have been deleted, or its file no longer defines it.</EmptyState>
      </div>
    );
  const dag = details.data.graph;
  return (
    <div className="page-full">
      <DagHeader dag={details.data.dag} canEdit={canEdit} />
      <div className="tabs" role="tablist">
        {TABS.map(([id, label]) => (
          <button key={id} role="tab" className="tab" aria-selected={tab === id} onClick={() => navigate(withSearch({ tab: id === 'grid' ? null : id }))}>
            {label}
          </button>
        ))}
      </div>
      <div className="dag-body">
        <section className="dag-main">
          {tab === 'grid' && <GridView dagId={dagId} dag={dag} selectedRun={run} selectedTask={task} onSelect={select} />}
          {tab === 'graph' && (
            <Suspense fallback={<Loading label="Loading the graph…" />}>
              <GraphView dagId={dagId} dag={dag} selectedRun={run} selectedTask={task} onSelect={select} />
            </Suspense>
          )}
          {tab === 'gantt' && <GanttView dagId={dagId} runId={run} onSelectTask={(taskId) => select({ run, task: taskId })} />}
          {tab === 'code' && <CodeView dagId={dagId} />}
          {tab === 'details' && <DetailsView details={details.data} />}
        </section>
        {(run !== null || task !== null) && (
          <aside className="dag-side">
            <SidePanel dagId={dagId} dag={dag} runId={run} taskId={task} canEdit={canEdit} onSelect={select} />
          </aside>
        )}
      </div>
    </div>
  );
}
