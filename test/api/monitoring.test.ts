import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startJob } from '../../src/store/index.ts';
import { StateEventHub } from '../../src/api/events/state-event-hub.ts';
import { createApiHarness, FIXTURE_DAGS, type ApiHarness } from './support/api-harness.ts';

let h: ApiHarness;
beforeAll(async () => {
  h = await createApiHarness({ dagFiles: [join(FIXTURE_DAGS, 'two-dags.ts'), join(FIXTURE_DAGS, 'throws-at-import.ts')] });
});
afterAll(() => h.close());

describe('health and version', () => {
  it('reports the database and component heartbeats without auth', async () => {
    const before = await h.call(null, { method: 'GET', url: '/api/v1/health' });
    expect(before.json()).toMatchObject({ metadatabase: { status: 'healthy' }, scheduler: { status: 'unhealthy', latest_heartbeat: null }, triggerer: null });
    const now = Date.now();
    await startJob(h.store.db, { jobType: 'SchedulerJob', hostname: 'h', pid: 1, now });
    await startJob(h.store.db, { jobType: 'DagProcessorJob', hostname: 'h', pid: 2, now: now - 120_000 });
    const after = (await h.call(null, { method: 'GET', url: '/api/v1/health' })).json();
    expect(after.scheduler).toEqual({ status: 'healthy', latest_heartbeat: new Date(now).toISOString() });
    expect(after.dag_processor.status).toBe('unhealthy');
  });

  it('version needs auth', async () => {
    expect((await h.call(null, { method: 'GET', url: '/api/v1/version' })).statusCode).toBe(401);
    expect((await h.call('Viewer', { method: 'GET', url: '/api/v1/version' })).json().version).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe('import errors', () => {
  it('lists files that failed to import', async () => {
    const response = await h.call('Viewer', { method: 'GET', url: '/api/v1/importErrors' });
    expect(response.json().total_entries).toBe(1);
    expect(response.json().import_errors[0].filename).toContain('throws-at-import.ts');
    expect((await h.call('Viewer', { method: 'GET', url: '/api/v1/importErrors?limit=5000' })).statusCode).toBe(400);
  });
});

describe('state events', () => {
  it('the hub emits run, task, DAG and import error changes after a baseline poll', async () => {
    const hub = new StateEventHub(h.store, { pollMs: 1_000_000 });
    expect(await hub.poll()).toEqual([]);
    await h.call('User', { method: 'POST', url: '/api/v1/dags/first/dagRuns', payload: { dag_run_id: 'evt' } });
    await h.call('User', { method: 'PATCH', url: '/api/v1/dags/first', payload: { is_paused: false } });
    const events = await hub.poll();
    expect(events).toContainEqual({ type: 'dag_run', data: { dag_id: 'first', run_id: 'evt', state: 'queued' } });
    expect(events).toContainEqual({ type: 'task_instance', data: { dag_id: 'first', run_id: 'evt', task_id: 'only', map_index: -1, state: 'none', try_number: 0 } });
    expect(events).toContainEqual(expect.objectContaining({ type: 'dag', data: expect.objectContaining({ dag_id: 'first', is_paused: false }) }));
    expect(await hub.poll()).toEqual([]);
    await h.call('User', { method: 'PATCH', url: '/api/v1/dags/first/dagRuns/evt', payload: { state: 'failed' } });
    const marked = await hub.poll();
    expect(marked).toContainEqual({ type: 'dag_run', data: { dag_id: 'first', run_id: 'evt', state: 'failed' } });
    expect(marked).toContainEqual(expect.objectContaining({ type: 'task_instance', data: expect.objectContaining({ task_id: 'only', state: 'failed' }) }));
    hub.close();
  });

  it('GET /events streams server-sent events to an authenticated client', async () => {
    const address = await h.app.listen({ port: 0, host: '127.0.0.1' });
    const abort = new AbortController();
    try {
      expect((await fetch(`${address}/api/v1/events`)).status).toBe(401);
      const response = await fetch(`${address}/api/v1/events`, { headers: h.as('Viewer'), signal: abort.signal });
      expect(response.headers.get('content-type')).toContain('text/event-stream');
      const reader = response.body!.getReader();
      let received = '';
      const readUntil = async (text: string) => {
        while (!received.includes(text)) {
          const { value, done } = await reader.read();
          if (done) break;
          received += new TextDecoder().decode(value);
        }
      };
      await readUntil('event: ready');
      await h.call('User', { method: 'POST', url: '/api/v1/dags/second/dagRuns', payload: { dag_run_id: 'streamed' } });
      await readUntil('"run_id":"streamed"');
      expect(received).toContain('retry: 2000');
      expect(received).toMatch(/event: dag_run\ndata: \{"dag_id":"second","run_id":"streamed","state":"queued"\}/);
    } finally {
      abort.abort();
    }
  });
});
