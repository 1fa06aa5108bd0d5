import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureStandaloneAdmin, hashPassword, verifyPassword } from '../../src/auth/index.ts';
import { getUserCredentials } from '../../src/store/queries/users.ts';
import { createTestStore } from '../support/databases.ts';
import { createApiHarness, PASSWORD, problemOf, type ApiHarness } from './support/api-harness.ts';

let h: ApiHarness;
beforeAll(async () => {
  h = await createApiHarness({ dagFiles: [] });
});
afterAll(() => h.close());

async function login(username: string, password = PASSWORD) {
  const response = await h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
  const cookie = String(response.headers['set-cookie'] ?? '').split(';')[0] ?? '';
  return { response, cookie, csrf: response.statusCode === 200 ? (response.json().csrf_token as string) : '' };
}

describe('passwords', () => {
  it('hashes with scrypt and a per-user salt, and verifies only the right password', async () => {
    const [a, b] = [await hashPassword('s3cret-pass'), await hashPassword('s3cret-pass')];
    expect(a).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('s3cret-pass', a)).toBe(true);
    expect(await verifyPassword('s3cret-pasS', a)).toBe(false);
    expect(await verifyPassword('anything', 'not-a-hash')).toBe(false);
  });
});

describe('login, sessions and CSRF', () => {
  it('logs in with a secure HTTP-only SameSite=Lax cookie and never returns the password hash', async () => {
    const { response } = await login('viewer');
    expect(response.statusCode).toBe(200);
    const setCookie = String(response.headers['set-cookie']);
    expect(setCookie).toMatch(/^updraft_session=/);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Lax');
    expect(response.body).not.toContain('scrypt');
    expect(response.json()).toMatchObject({ user: { username: 'viewer', role: 'Viewer' }, auth: 'session' });
  });

  it('rejects a wrong password with 401 and a bad body with 400 naming the field', async () => {
    const wrong = await login('viewer', 'wrong password');
    expect(wrong.response.statusCode).toBe(401);
    expect(problemOf(wrong.response).code).toBe('AUTH_FAILED');
    const bad = await h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'viewer' } });
    expect(bad.statusCode).toBe(400);
    expect(problemOf(bad).field).toBe('/body/password');
  });

  it('me returns the CSRF token; cookie writes need it, bearer writes do not', async () => {
    const { cookie, csrf } = await login('user');
    const me = await h.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } });
    expect(me.json()).toMatchObject({ user: { username: 'user' }, csrf_token: csrf });
    const body = { name: 'from-cookie' };
    const withoutCsrf = await h.app.inject({ method: 'POST', url: '/api/v1/auth/tokens', headers: { cookie }, payload: body });
    expect(withoutCsrf.statusCode).toBe(403);
    expect(problemOf(withoutCsrf).code).toBe('AUTH_CSRF_FAILED');
    const wrongCsrf = await h.app.inject({ method: 'POST', url: '/api/v1/auth/tokens', headers: { cookie, 'x-csrf-token': `${csrf}x` }, payload: body });
    expect(wrongCsrf.statusCode).toBe(403);
    const withCsrf = await h.app.inject({ method: 'POST', url: '/api/v1/auth/tokens', headers: { cookie, 'x-csrf-token': csrf }, payload: body });
    expect(withCsrf.statusCode).toBe(201);
    const viaToken = await h.call('User', { method: 'POST', url: '/api/v1/auth/tokens', payload: { name: 'from-token' } });
    expect(viaToken.statusCode).toBe(201);
  });

  it('a created token authenticates as its owner; a garbage token is 401', async () => {
    const created = await h.call('Op', { method: 'POST', url: '/api/v1/auth/tokens', payload: { name: 'ci', expires_in_days: 1 } });
    const token = created.json().token as string;
    const me = await h.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: `Bearer ${token}` } });
    expect(me.json()).toMatchObject({ user: { username: 'op' }, auth: 'token', csrf_token: null });
    const garbage = await h.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: 'Bearer updr_nope' } });
    expect(garbage.statusCode).toBe(401);
    expect(garbage.headers['www-authenticate']).toContain('Bearer');
    const duplicate = await h.call('Op', { method: 'POST', url: '/api/v1/auth/tokens', payload: { name: 'ci' } });
    expect(duplicate.statusCode).toBe(409);
    const listed = await h.app.inject({ method: 'GET', url: '/api/v1/auth/tokens', headers: { authorization: `Bearer ${token}` } });
    expect(listed.json().tokens.map((t: { name: string }) => t.name)).toEqual(['ci', 'test']);
    expect(listed.json().tokens[0].last_used_at).not.toBeNull();
    expect(listed.body).not.toContain(token);
    expect((await h.app.inject({ method: 'DELETE', url: '/api/v1/auth/tokens/ci', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(204);
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(401);
    expect((await h.call('Op', { method: 'DELETE', url: '/api/v1/auth/tokens/ci' })).statusCode).toBe(404);
  });

  it('logout ends the session', async () => {
    const { cookie, csrf } = await login('op');
    const out = await h.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie, 'x-csrf-token': csrf } });
    expect(out.statusCode).toBe(204);
    const after = await h.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } });
    expect(after.statusCode).toBe(401);
  });

  it('backs off after repeated failed logins for a username (429 with Retry-After)', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await login('admin', `bad password ${i}`)).response.statusCode);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.at(-1)).toBe(429);
    const blocked = await login('admin');
    expect(blocked.response.statusCode).toBe(429);
    expect(Number(blocked.response.headers['retry-after'])).toBeGreaterThan(0);
    // Other usernames are not affected.
    expect((await login('viewer')).response.statusCode).toBe(200);
  });
});

describe('users endpoints (Admin only)', () => {
  it('creates, lists and deletes users; other roles get 403', async () => {
    const forbidden = await h.call('Op', { method: 'GET', url: '/api/v1/users' });
    expect(forbidden.statusCode).toBe(403);
    expect(problemOf(forbidden).code).toBe('AUTH_FORBIDDEN');
    const created = await h.call('Admin', { method: 'POST', url: '/api/v1/users', payload: { username: 'carol', password: 'long enough pw', role: 'Viewer', email: 'c@x.org' } });
    expect(created.statusCode).toBe(201);
    expect(created.body).not.toContain('long enough pw');
    expect((await h.call('Admin', { method: 'POST', url: '/api/v1/users', payload: { username: 'carol', password: 'long enough pw', role: 'Viewer' } })).statusCode).toBe(409);
    const badRole = await h.call('Admin', { method: 'POST', url: '/api/v1/users', payload: { username: 'dave', password: 'long enough pw', role: 'God' } });
    expect(problemOf(badRole).field).toBe('/body/role');
    const shortPassword = await h.call('Admin', { method: 'POST', url: '/api/v1/users', payload: { username: 'dave', password: 'short', role: 'User' } });
    expect(shortPassword.statusCode).toBe(400);
    expect(problemOf(shortPassword).field).toBe('password');
    const list = await h.call('Admin', { method: 'GET', url: '/api/v1/users' });
    expect(list.json().users.map((u: { username: string }) => u.username)).toContain('carol');
    expect(list.body).not.toContain('scrypt');
    expect((await h.call('Admin', { method: 'DELETE', url: '/api/v1/users/carol' })).statusCode).toBe(204);
    expect((await h.call('Admin', { method: 'DELETE', url: '/api/v1/users/carol' })).statusCode).toBe(404);
    expect((await h.call(null, { method: 'GET', url: '/api/v1/users' })).statusCode).toBe(401);
  });
});

describe('ensureStandaloneAdmin', () => {
  it('creates admin once with a random password saved 0600 under home', async () => {
    const home = mkdtempSync(join(tmpdir(), 'updraft-standalone-'));
    const store = await createTestStore('sqlite');
    try {
      const result = await ensureStandaloneAdmin(store, home);
      expect(result.created).toBe(true);
      const file = join(home, 'standalone_admin_password.txt');
      expect(existsSync(file)).toBe(true);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(readFileSync(file, 'utf8').trim()).toBe(result.password);
      expect(await ensureStandaloneAdmin(store, home)).toEqual({ created: false });
      const credentials = await getUserCredentials(store.db, 'admin');
      expect(credentials?.user.role).toBe('Admin');
      expect(await verifyPassword(result.password ?? '', credentials?.passwordHash ?? '')).toBe(true);
    } finally {
      await store.drop();
      rmSync(home, { recursive: true, force: true });
    }
  });
});
