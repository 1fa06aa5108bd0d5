import { useLiveEvents } from '../api/use-live-events.ts';
import { LoginPage } from '../auth/login-page.tsx';
import { useSession } from '../auth/use-session.ts';
import { Loading } from '../components/empty-state.tsx';
import { useTheme } from './theme.ts';
import { Routes } from './routes.tsx';
import { TopBar } from './top-bar.tsx';

export function App() {
  const { theme, toggle } = useTheme();
  const session = useSession();
  const me = session.data ?? null;
  useLiveEvents(me !== null);
  if (session.isPending) return <Loading label="Starting Updraft…" />;
  if (me === null) return <LoginPage />;
  return (
    <div className="app">
      <TopBar me={me} theme={theme} onToggleTheme={toggle} />
      <main className="main">
        <Routes me={me} />
      </main>
    </div>
  );
}
