import type { Me } from '../api/types.ts';
import { EmptyState } from '../components/empty-state.tsx';
import { AdminPage } from '../pages/admin/admin-page.tsx';
import { DagPage } from '../pages/dag/dag-page.tsx';
import { DagListPage } from '../pages/dags/dag-list-page.tsx';
import { RunsPage } from '../pages/runs/runs-page.tsx';
import { Link, Redirect, useLocation } from './router.tsx';

/** Maps the path to a page: /dags, /dags/:dagId, /runs, /admin/:section. */
export function Routes({ me }: { me: Me }) {
  const { path } = useLocation();
  const parts = path.split('/').filter((part) => part !== '').map(decodeURIComponent);
  const [first, second] = parts;
  if (first === undefined) return <Redirect to="/dags" />;
  if (first === 'dags' && second === undefined) return <DagListPage me={me} />;
  if (first === 'dags' && second !== undefined) return <DagPage dagId={second} me={me} />;
  if (first === 'runs') return <RunsPage />;
  if (first === 'admin') return <AdminPage section={second ?? 'variables'} me={me} />;
  return (
    <div className="page">
      <EmptyState title="Page not found">
        <Link to="/dags">Back to DAGs</Link>
      </EmptyState>
    </div>
  );
}
