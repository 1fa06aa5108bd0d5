import type { Me } from '../api/types.ts';
import { useLogout } from '../auth/use-session.ts';
import { Menu } from '../components/menu.tsx';
import { Link, navigate, useLocation } from './router.tsx';
import { Logo } from './logo.tsx';
import type { Theme } from './theme.ts';
import { ThemeIcon } from './theme-icon.tsx';

const ADMIN_PAGES = [
  ['variables', 'Variables'],
  ['connections', 'Connections'],
  ['pools', 'Pools'],
  ['users', 'Users'],
] as const;

export function TopBar({ me, theme, onToggleTheme }: { me: Me; theme: Theme; onToggleTheme: () => void }) {
  const { path } = useLocation();
  const logout = useLogout();
  const active = (prefix: string): string => (path.startsWith(prefix) ? 'nav-link active' : 'nav-link');
  return (
    <header className="topbar">
      <Link to="/dags" className="logo">
        <Logo />
        Updraft
      </Link>
      <nav style={{ display: 'flex', gap: 2 }} aria-label="Main">
        <Link to="/dags" className={active('/dags')}>
          DAGs
        </Link>
        <Link to="/runs" className={active('/runs')}>
          Runs
        </Link>
        <Menu label={<>Admin ▾</>} buttonClass={active('/admin')}>
          {(close) =>
            ADMIN_PAGES.map(([section, label]) => (
              <button
                key={section}
                className="menu-item"
                role="menuitem"
                onClick={() => {
                  close();
                  navigate(`/admin/${section}`);
                }}
              >
                {label}
              </button>
            ))
          }
        </Menu>
      </nav>
      <div className="topbar-spacer" />
      <button className="btn icon-btn" onClick={onToggleTheme} aria-label={theme === 'dark' ? 'Switch to light theme' : 'Switch to dark theme'} title="Toggle theme">
        <ThemeIcon theme={theme} />
      </button>
      <Menu label={<span className="avatar">{me.user.username.slice(0, 2)}</span>} buttonClass="btn btn-ghost icon-btn" align="right" ariaLabel="User menu">
        {(close) => (
          <>
            <div className="menu-header">
              <div style={{ fontWeight: 650 }}>{[me.user.first_name, me.user.last_name].join(' ').trim() || me.user.username}</div>
              <div className="small muted">
                {me.user.username} · {me.user.role}
              </div>
            </div>
            <button
              className="menu-item"
              role="menuitem"
              onClick={() => {
                close();
                logout.mutate();
              }}
            >
              Sign out
            </button>
          </>
        )}
      </Menu>
    </header>
  );
}
