import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StateEventHub } from '../../src/api/events/state-event-hub.ts';
import type { DialectName } from '../../src/store/index.ts';
import { createApiHarness, type ApiHarness } from './support/api-harness.ts';

/** The list, grid and event queries on the server databases (the other API tests use SQLite). */
describe.each<DialectName>(['postgres', 'mysql'])('API lists on %s', (dialect) => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await createApiHarness({ dialect });
    for (let day = 1; day <= 5; day++) {
      const response = await h.call('User', { method: 'POST', url: '/api/v1/dags/tutorial/dagRuns', payload: { dag_run_id: `d${day}`, logical_date: `2025-01-0${day}T00:00:00Z` } });
      expect(response.statusCode).toBe(201);
    }
    await h.call('User', { method: 'PATCH', url: '/api/v1/dags/tutorial/dagRuns/d2', payload: { state: 'failed' } });
    await h.call('User', { method: 'PATCH', url: '/api/v1/dags/tutorial/dagRuns/d4', payload: { state: 'success' } });
  });
  afterAll(() => h?.close());

  it('lists DAGs with search and tags', async () => {
    expect((await h.call('Viewer', { method: 'GET', url: '/api/v1/dags?search=tut&tags=example' })).json().total_entries).toBe(1);
    expect((await h.call('Viewer', { method: 'GET', url: '/api/v1/dags?search=%25' })).json().total_entries).toBe(0);
  });

  it('pages runs newest first with state and date filters', async () => {
    const page = await h.call('Viewer', { method: 'GET', url: '/api/v1/dags/tutorial/dagRuns?limit=2&offset=1' });
    expect(page.json().dag_runs.map((r: { run_id: string }) => r.run_id)).toEqual(['d4', 'd3']);
    expect(page.json().total_entries).toBe(5);
    const finished = await h.call('Viewer', { method: 'GET', url: '/api/v1/dagRuns?state=success&state=failed&order_by=run_after' });
    expect(finished.json().dag_runs.map((r: { run_id: string }) => r.run_id)).toEqual(['d2', 'd4']);
    const window = await h.call('Viewer', { method: 'GET', url: '/api/v1/dagRuns?logical_date_gte=2025-01-02T00:00:00Z&logical_date_lte=2025-01-03T00:00:00Z' });
    expect(window.json().total_entries).toBe(2);
  });

  it('builds the grid and searches task instances', async () => {
    const grid = (await h.call('Viewer', { method: 'GET', url: '/api/v1/dags/tutorial/grid?limit=3' })).json();
    expect(grid.dag_runs.map((r: { run_id: string }) => r.run_id)).toEqual(['d5', 'd4', 'd3']);
    const success = grid.states.indexOf('success');
    expect(grid.dag_runs[1].task_states).toEqual([success, success, success]);
    const failed = await h.call('Viewer', { method: 'GET', url: '/api/v1/taskInstances?state=failed' });
    expect(failed.json().task_instances.map((ti: { run_id: string }) => ti.run_id)).toEqual(['d2', 'd2', 'd2']);
  });

  it('the event hub sees changes', async () => {
    const hub = new StateEventHub(h.store, { pollMs: 1_000_000 });
    await hub.poll();
    await h.call('User', { method: 'PATCH', url: '/api/v1/dags/tutorial/dagRuns/d5', payload: { state: 'success' } });
    expect(await hub.poll()).toContainEqual({ type: 'dag_run', data: { dag_id: 'tutorial', run_id: 'd5', state: 'success' } });
    hub.close();
  });
});
