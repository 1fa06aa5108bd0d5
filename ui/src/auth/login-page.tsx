import { useState } from 'react';
import { ApiProblem } from '../api/problem.ts';
import { Logo } from '../app/logo.tsx';
import { useLogin } from './use-session.ts';

export function LoginPage() {
  const login = useLogin();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const error = login.error instanceof ApiProblem ? login.error : null;
  return (
    <div className="login-wrap">
      <form
        className="card login-card"
        onSubmit={(event) => {
          event.preventDefault();
          login.mutate({ username, password });
        }}
      >
        <div style={{ display: 'flex', alignItems: 'center', gap: 10 }}>
          <Logo size={34} />
          <div>
            <h1>Sign in to Updraft</h1>
            <div className="subtitle">Workflows, scheduled and observed.</div>
          </div>
        </div>
        <div className="field">
          <label htmlFor="username">Username</label>
          <input id="username" name="username" className="input" autoComplete="username" autoFocus value={username} onChange={(event) => setUsername(event.target.value)} required />
        </div>
        <div className="field">
          <label htmlFor="password">Password</label>
          <input id="password" name="password" type="password" className="input" autoComplete="current-password" value={password} onChange={(event) => setPassword(event.target.value)} required />
        </div>
        {error !== null && (
          <div className="field-error" role="alert">
            {error.detail !== '' ? error.detail : error.title}
          </div>
        )}
        {login.error !== null && error === null && <div className="field-error">{login.error.message}</div>}
        <button className="btn btn-primary" type="submit" disabled={login.isPending} style={{ justifyContent: 'center', height: 36 }}>
          {login.isPending ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </div>
  );
}
