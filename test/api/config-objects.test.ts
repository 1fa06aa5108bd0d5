import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getConnection, getVariable } from '../../src/store/index.ts';
import { createApiHarness, problemOf, type ApiHarness } from './support/api-harness.ts';

let h: ApiHarness;
beforeAll(async () => {
  h = await createApiHarness({ dagFiles: [] });
});
afterAll(() => h.close());

describe('variables', () => {
  it('Op creates, updates and deletes; everyone reads; encrypted values are never returned', async () => {
    expect((await h.call('User', { method: 'POST', url: '/api/v1/variables', payload: { key: 'k', value: 'v' } })).statusCode).toBe(403);
    const plain = await h.call('Op', { method: 'POST', url: '/api/v1/variables', payload: { key: 'plain', value: '42', description: 'answer' } });
    expect(plain.statusCode).toBe(201);
    expect(plain.json()).toEqual({ key: 'plain', value: '42', description: 'answer', is_encrypted: false });
    const secret = await h.call('Op', { method: 'POST', url: '/api/v1/variables', payload: { key: 'token', value: 'hunter2-secret', is_encrypted: true } });
    expect(secret.json()).toMatchObject({ key: 'token', value: null, is_encrypted: true });
    expect((await getVariable(h.store.db, h.store.secrets, 'token'))?.value).toBe('hunter2-secret');
    const list = await h.call('Viewer', { method: 'GET', url: '/api/v1/variables' });
    expect(list.json().total_entries).toBe(2);
    expect(list.body).not.toContain('hunter2');
    expect((await h.call('Viewer', { method: 'GET', url: '/api/v1/variables/token' })).body).not.toContain('hunter2');
    const patched = await h.call('Op', { method: 'PATCH', url: '/api/v1/variables/plain', payload: { value: '43' } });
    expect(patched.json()).toMatchObject({ value: '43', description: 'answer' });
    expect(problemOf(await h.call('Op', { method: 'PATCH', url: '/api/v1/variables/plain', payload: { value: 43 } })).field).toBe('/body/value');
    expect(problemOf(await h.call('Op', { method: 'PATCH', url: '/api/v1/variables/plain', payload: { value: '1', colour: 'red' } })).field).toBe('/body/colour');
    expect(problemOf(await h.call('Op', { method: 'POST', url: '/api/v1/variables', payload: { value: 'x' } })).field).toBe('/body/key');
    expect((await h.call('Op', { method: 'PATCH', url: '/api/v1/variables/nope', payload: { value: '1' } })).statusCode).toBe(404);
    expect((await h.call('Viewer', { method: 'GET', url: '/api/v1/variables/nope' })).statusCode).toBe(404);
    expect((await h.call('Op', { method: 'DELETE', url: '/api/v1/variables/plain' })).statusCode).toBe(204);
    expect((await h.call('Op', { method: 'DELETE', url: '/api/v1/variables/plain' })).statusCode).toBe(404);
  });
});

describe('connections', () => {
  it('never returns passwords or extras; Op manages them; PATCH keeps omitted fields', async () => {
    const payload = { connection_id: 'warehouse', conn_type: 'postgres', host: 'db.internal', login: 'etl', password: 'pa55-w0rd-XYZ', port: 5432, extra: { sslmode: 'require', api_key: 'KEY-123' } };
    expect((await h.call('User', { method: 'POST', url: '/api/v1/connections', payload })).statusCode).toBe(403);
    const created = await h.call('Op', { method: 'POST', url: '/api/v1/connections', payload });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ connection_id: 'warehouse', host: 'db.internal', has_password: true, has_extra: true });
    for (const response of [created, await h.call('Viewer', { method: 'GET', url: '/api/v1/connections/warehouse' }), await h.call('Viewer', { method: 'GET', url: '/api/v1/connections' })]) {
      expect(response.body).not.toContain('pa55-w0rd-XYZ');
      expect(response.body).not.toContain('KEY-123');
    }
    const patched = await h.call('Op', { method: 'PATCH', url: '/api/v1/connections/warehouse', payload: { host: 'db2.internal' } });
    expect(patched.json()).toMatchObject({ host: 'db2.internal', conn_type: 'postgres', has_password: true });
    expect((await getConnection(h.store.db, h.store.secrets, 'warehouse'))?.password).toBe('pa55-w0rd-XYZ');
    expect(problemOf(await h.call('Op', { method: 'PATCH', url: '/api/v1/connections/warehouse', payload: { port: 70000 } })).field).toBe('/body/port');
    expect(problemOf(await h.call('Op', { method: 'POST', url: '/api/v1/connections', payload: { connection_id: 'x' } })).field).toBe('/body/conn_type');
    expect((await h.call('Viewer', { method: 'GET', url: '/api/v1/connections/nope' })).statusCode).toBe(404);
    expect((await h.call('Op', { method: 'PATCH', url: '/api/v1/connections/nope', payload: {} })).statusCode).toBe(404);
    expect((await h.call('Op', { method: 'DELETE', url: '/api/v1/connections/warehouse' })).statusCode).toBe(204);
    expect((await h.call('Op', { method: 'DELETE', url: '/api/v1/connections/warehouse' })).statusCode).toBe(404);
  });
});

describe('pools', () => {
  it('lists default_pool with usage; Op manages pools; default_pool cannot be deleted', async () => {
    const list = await h.call('Viewer', { method: 'GET', url: '/api/v1/pools' });
    expect(list.json().pools[0]).toMatchObject({ name: 'default_pool', slots: 128, open_slots: 128, occupied_slots: 0 });
    expect((await h.call('User', { method: 'POST', url: '/api/v1/pools', payload: { name: 'gpu', slots: 2 } })).statusCode).toBe(403);
    expect((await h.call('Op', { method: 'POST', url: '/api/v1/pools', payload: { name: 'gpu', slots: 2, description: 'GPUs' } })).json()).toMatchObject({ name: 'gpu', slots: 2, open_slots: 2 });
    expect((await h.call('Op', { method: 'PATCH', url: '/api/v1/pools/gpu', payload: { slots: 4 } })).json()).toMatchObject({ slots: 4, description: 'GPUs' });
    expect(problemOf(await h.call('Op', { method: 'PATCH', url: '/api/v1/pools/gpu', payload: { slots: -3 } })).field).toBe('/body/slots');
    expect(problemOf(await h.call('Op', { method: 'POST', url: '/api/v1/pools', payload: { name: 'big', slots: 1e30 } })).field).toBe('/body/slots');
    expect((await h.call('Viewer', { method: 'GET', url: '/api/v1/pools/gpu' })).statusCode).toBe(200);
    expect((await h.call('Viewer', { method: 'GET', url: '/api/v1/pools/nope' })).statusCode).toBe(404);
    expect((await h.call('Op', { method: 'PATCH', url: '/api/v1/pools/nope', payload: { slots: 1 } })).statusCode).toBe(404);
    expect((await h.call('Op', { method: 'DELETE', url: '/api/v1/pools/default_pool' })).statusCode).toBe(400);
    expect((await h.call('Op', { method: 'DELETE', url: '/api/v1/pools/gpu' })).statusCode).toBe(204);
    expect((await h.call('Op', { method: 'DELETE', url: '/api/v1/pools/gpu' })).statusCode).toBe(404);
  });
});
