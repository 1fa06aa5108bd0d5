import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '/work/main/src/config/index.ts';
import { migrate, openStore } from '/work/main/src/store/index.ts';
import { buildApiServer } from '/work/main/src/api/server.ts';
import { createUser } from '/work/main/src/auth/index.ts';
const home = mkdtempSync(join(tmpdir(), 'api-smoke-'));
const config = loadConfig({ env: { UPDRAFT_HOME: home } });
const store = await openStore({ url: config.database.url, secretKey: 'x'.repeat(44) });
await migrate(store.db);
await createUser(store, { username: 'admin', password: 'password123', role: 'Admin', now: Date.now() });
const app = await buildApiServer({ store, config });
await app.ready();
for (const [m, u, b] of [['GET','/api/v1/health'],['GET','/api/v1/dags'],['POST','/api/v1/auth/login',{username:'admin',password:'password123'}],['GET','/api/v1/nope']] as const) {
  const r = await app.inject({ method: m, url: u, ...(b ? { payload: b } : {}) });
  console.log(m, u, r.statusCode, r.headers['content-type'], r.body.slice(0, 300));
}
const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'admin', password: 'password123' } });
const cookie = login.headers['set-cookie'];
console.log(cookie);
const r = await app.inject({ method: 'GET', url: '/api/v1/dags?limit=5000', headers: { cookie: String(cookie).split(';')[0] } });
console.log(r.statusCode, r.body);
const r2 = await app.inject({ method: 'GET', url: '/api/v1/dags', headers: { cookie: String(cookie).split(';')[0] } });
console.log(r2.statusCode, r2.body);
const doc = await app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
console.log(doc.statusCode, Object.keys(doc.json().paths).length, Object.keys(doc.json().components.schemas));
await app.close(); await store.close();
