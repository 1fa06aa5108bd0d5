import type { Me } from '../../api/types.ts';
import { Link } from '../../app/router.tsx';
import { hasRole } from '../../auth/use-session.ts';
import { EmptyState } from '../../components/empty-state.tsx';
import { ConnectionsPage } from './connections-page.tsx';
import { PoolsPage } from './pools-page.tsx';
import { UsersPage } from './users-page.tsx';
import { VariablesPage } from './variables-page.tsx';

const SECTIONS = [
  ['variables', 'Variables', 'Op'],
  ['connections', 'Connections', 'Op'],
  ['pools', 'Pools', 'Op'],
  ['users', 'Users', 'Admin'],
] as const;

/** Admin pages share a side navigation; writes need Op (Admin for users), as the API enforces. */
export function AdminPage({ section, me }: { section: string; me: Me }) {
  const current = SECTIONS.find(([id]) => id === section);
  const canWrite = current !== undefined && hasRole(me, current[2]);
  return (
    <div className="page admin">
      <div className="admin-layout">
        <nav className="admin-nav" aria-label="Admin">
          <div className="small muted" style={{ padding: '0 10px 6px', fontWeight: 650, textTransform: 'uppercase', letterSpacing: '0.04em' }}>
            Admin
          </div>
          {SECTIONS.map(([id, label]) => (
            <Link key={id} to={`/admin/${id}`} className={`admin-link${id === section ? ' active' : ''}`}>
              {label}
            </Link>
          ))}
        </nav>
        <div style={{ flex: 1, minWidth: 0, display: 'flex', flexDirection: 'column', gap: 16 }}>
          {section === 'variables' && <VariablesPage canWrite={canWrite} />}
          {section === 'connections' && <ConnectionsPage canWrite={canWrite} />}
          {section === 'pools' && <PoolsPage canWrite={canWrite} />}
          {section === 'users' && (hasRole(me, 'Admin') ? <UsersPage /> : <EmptyState title="Only admins manage users" />)}
          {current === undefined && <EmptyState title="Unknown admin page" />}
        </div>
      </div>
    </div>
  );
}
