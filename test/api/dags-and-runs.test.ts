import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiHarness, problemOf, type ApiHarness } from './support/api-harness.ts';

let h: ApiHarness;
beforeAll(async () => {
  h = await createApiHarness();
});
afterAll(() => h.close());

describe('DAGs', () => {
  it('lists with search, tags, paused filter, ordering and pagination', async () => {
    const all = await h.call('Viewer', { method: 'GET', url: '/api/v1/dags' });
    expect(all.statusCode).toBe(200);
    expect(all.json().dags.map((d: { dag_id: string }) => d.dag_id)).toEqual(['first', 'second', 'tutorial']);
    expect(all.json().total_entries).toBe(3);
    const search = await h.call('Viewer', { method: 'GET', url: '/api/v1/dags?search=TUT' });
    expect(search.json().dags.map((d: { dag_id: string }) => d.dag_id)).toEqual(['tutorial']);
    const tagged = await h.call('Viewer', { method: 'GET', url: '/api/v1/dags?tags=example' });
    expect(tagged.json().total_entries).toBe(1);
    const page = await h.call('Viewer', { method: 'GET', url: '/api/v1/dags?order_by=-dag_id&limit=1&offset=1' });
    expect(page.json()).toMatchObject({ dags: [{ dag_id: 'second' }], total_entries: 3 });
    const unpaused = await h.call('Viewer', { method: 'GET', url: '/api/v1/dags?paused=false' });
    expect(unpaused.json().total_entries).toBe(0);
  });

  it('rejects bad list parameters with 400 naming the field', async () => {
    for (const [query, field] of [
      ['limit=0', '/query/limit'],
      ['limit=abc', '/query/limit'],
      ['offset=-1', '/query/offset'],
      ['order_by=owner', '/query/order_by'],
      ['paused=maybe', '/query/paused'],
    ] as const) {
      const response = await h.call('Viewer', { method: 'GET', url: `/api/v1/dags?${query}` });
      expect(response.statusCode, query).toBe(400);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(problemOf(response)).toMatchObject({ status: 400, code: 'INVALID_ARGUMENT', field });
    }
  });

  it('gets a DAG, its details with the serialized graph, versions and source; 404 for unknown ids', async () => {
    const dag = await h.call('Viewer', { method: 'GET', url: '/api/v1/dags/tutorial' });
    expect(dag.json()).toMatchObject({ dag_id: 'tutorial', is_paused: true, is_active: true, tags: ['example'] });
    const details = await h.call('Viewer', { method: 'GET', url: '/api/v1/dags/tutorial/details' });
    expect(details.json().version.version_number).toBe(1);
    expect(details.json().serialized_dag.tasks.map((t: { taskId: string }) => t.taskId)).toEqual(['print_date', 'sleep', 'templated']);
    const versions = await h.call('Viewer', { method: 'GET', url: '/api/v1/dags/tutorial/versions' });
    expect(versions.json().total_entries).toBe(1);
    const source = await h.call('Viewer', { method: 'GET', url: '/api/v1/dagSources/tutorial?version_number=1' });
    expect(source.json().content).toContain("dagId: 'tutorial'");
    const latest = await h.call('Viewer', { method: 'GET', url: '/api/v1/dagSources/tutorial' });
    expect(latest.json().version_number).toBe(1);
    expect(problemOf(await h.call('Viewer', { method: 'GET', url: '/api/v1/dagSources/tutorial?version_number=9' })).code).toBe('DAG_VERSION_NOT_FOUND');
    for (const url of ['/api/v1/dags/nope', '/api/v1/dags/nope/details', '/api/v1/dags/nope/versions', '/api/v1/dagSources/nope', '/api/v1/dags/nope/grid']) {
      const response = await h.call('Viewer', { method: 'GET', url });
      expect(response.statusCode, url).toBe(404);
      expect(problemOf(response).code).toBe('DAG_NOT_FOUND');
    }
  });

  it('pauses and unpauses (User), 403 for Viewer, 400 for a non-boolean, 404 for unknown', async () => {
    expect((await h.call('Viewer', { method: 'PATCH', url: '/api/v1/dags/first', payload: { is_paused: false } })).statusCode).toBe(403);
    const unpaused = await h.call('User', { method: 'PATCH', url: '/api/v1/dags/first', payload: { is_paused: false } });
    expect(unpaused.json()).toMatchObject({ dag_id: 'first', is_paused: false });
    const bad = await h.call('User', { method: 'PATCH', url: '/api/v1/dags/first', payload: { is_paused: 'yes please' } });
    expect(problemOf(bad).field).toBe('/body/is_paused');
    const extra = await h.call('User', { method: 'PATCH', url: '/api/v1/dags/first', payload: { is_paused: true, owner: 'me' } });
    expect(problemOf(extra).field).toBe('/body/owner');
    expect((await h.call('User', { method: 'PATCH', url: '/api/v1/dags/nope', payload: { is_paused: true } })).statusCode).toBe(404);
  });

  it('deletes a DAG with its runs; 404 the second time', async () => {
    expect((await h.call('User', { method: 'POST', url: '/api/v1/dags/second/dagRuns', payload: {} })).statusCode).toBe(201);
    expect((await h.call('Viewer', { method: 'DELETE', url: '/api/v1/dags/second' })).statusCode).toBe(403);
    expect((await h.call('User', { method: 'DELETE', url: '/api/v1/dags/second' })).statusCode).toBe(204);
    expect((await h.call('User', { method: 'DELETE', url: '/api/v1/dags/second' })).statusCode).toBe(404);
    expect((await h.call('Viewer', { method: 'GET', url: '/api/v1/dagRuns?dag_id=second' })).json().total_entries).toBe(0);
  });
});

describe('DAG runs', () => {
  it('triggers with conf, logical date and note; validates conf against params', async () => {
    const created = await h.call('User', {
      method: 'POST',
      url: '/api/v1/dags/tutorial/dagRuns',
      payload: { dag_run_id: 'run_a', logical_date: '2025-01-01T00:00:00Z', conf: { my_param: 'hello' }, note: 'first try' },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ dag_id: 'tutorial', run_id: 'run_a', state: 'queued', run_type: 'manual', logical_date: '2025-01-01T00:00:00.000Z', conf: { my_param: 'hello' }, note: 'first try' });
    expect(created.json().triggered_by).toBe('api:user');
    const duplicate = await h.call('User', { method: 'POST', url: '/api/v1/dags/tutorial/dagRuns', payload: { dag_run_id: 'run_a' } });
    expect(duplicate.statusCode).toBe(409);
    expect(problemOf(duplicate).code).toBe('DAG_RUN_EXISTS');
    const badDate = await h.call('User', { method: 'POST', url: '/api/v1/dags/tutorial/dagRuns', payload: { logical_date: 'yesterday' } });
    expect(problemOf(badDate).field).toBe('/body/logical_date');
    const badConf = await h.call('User', { method: 'POST', url: '/api/v1/dags/tutorial/dagRuns', payload: { conf: [1, 2] } });
    expect(problemOf(badConf).field).toBe('/body/conf');
    const paramsViolated = await h.call('User', { method: 'POST', url: '/api/v1/dags/tutorial/dagRuns', payload: { conf: { my_param: 42 } } });
    expect(paramsViolated.statusCode).toBe(400);
    expect(problemOf(paramsViolated)).toMatchObject({ code: 'DAG_INVALID_PARAMS', field: '/body/conf' });
    expect((await h.call('Viewer', { method: 'POST', url: '/api/v1/dags/tutorial/dagRuns', payload: {} })).statusCode).toBe(403);
    expect((await h.call('User', { method: 'POST', url: '/api/v1/dags/nope/dagRuns', payload: {} })).statusCode).toBe(404);
  });

  it('wakes the scheduler after a trigger, a real clear and an unpause, not after a dry run', async () => {
    const woken: string[] = [];
    const stop = h.notifier.listen('run_triggered', (dagId) => woken.push(dagId));
    try {
      await h.call('User', { method: 'POST', url: '/api/v1/dags/first/dagRuns', payload: { dag_run_id: 'wake' } });
      await h.call('User', { method: 'POST', url: '/api/v1/dags/first/dagRuns/wake/clear', payload: { dry_run: true } });
      await h.call('User', { method: 'PATCH', url: '/api/v1/dags/first', payload: { is_paused: false } });
      expect(woken).toEqual(['first', 'first']);
    } finally {
      stop();
      await h.call('User', { method: 'DELETE', url: '/api/v1/dags/first/dagRuns/wake' });
    }
  });

  it('lists per DAG and across DAGs with state and date filters', async () => {
    await h.call('User', { method: 'POST', url: '/api/v1/dags/tutorial/dagRuns', payload: { dag_run_id: 'run_b', logical_date: '2025-02-01T00:00:00Z' } });
    await h.call('User', { method: 'POST', url: '/api/v1/dags/first/dagRuns', payload: { dag_run_id: 'first_run', logical_date: '2025-03-01T00:00:00Z' } });
    const perDag = await h.call('Viewer', { method: 'GET', url: '/api/v1/dags/tutorial/dagRuns?logical_date_gte=2025-01-15T00:00:00Z' });
    expect(perDag.json().dag_runs.map((r: { run_id: string }) => r.run_id)).toEqual(['run_b']);
    const across = await h.call('Viewer', { method: 'GET', url: '/api/v1/dagRuns?state=queued&state=running&order_by=run_after' });
    expect(across.json().dag_runs.map((r: { run_id: string }) => r.run_id)).toEqual(expect.arrayContaining(['run_a', 'run_b', 'first_run']));
    const none = await h.call('Viewer', { method: 'GET', url: '/api/v1/dagRuns?state=success' });
    expect(none.json().total_entries).toBe(0);
    expect(problemOf(await h.call('Viewer', { method: 'GET', url: '/api/v1/dagRuns?state=happy' })).field).toBe('/query/state/0');
    expect((await h.call('Viewer', { method: 'GET', url: '/api/v1/dags/nope/dagRuns' })).statusCode).toBe(404);
  });

  it('gets, marks success/failed, clears (dry run first) and deletes a run', async () => {
    const run = await h.call('Viewer', { method: 'GET', url: '/api/v1/dags/tutorial/dagRuns/run_a' });
    expect(run.json().state).toBe('queued');
    expect((await h.call('Viewer', { method: 'GET', url: '/api/v1/dags/tutorial/dagRuns/nope' })).statusCode).toBe(404);

    expect((await h.call('Viewer', { method: 'PATCH', url: '/api/v1/dags/tutorial/dagRuns/run_a', payload: { state: 'success' } })).statusCode).toBe(403);
    expect(problemOf(await h.call('User', { method: 'PATCH', url: '/api/v1/dags/tutorial/dagRuns/run_a', payload: { state: 'running' } })).field).toBe('/body/state');
    const marked = await h.call('User', { method: 'PATCH', url: '/api/v1/dags/tutorial/dagRuns/run_a', payload: { state: 'success' } });
    expect(marked.json()).toMatchObject({ state: 'success' });
    expect(marked.json().end_date).not.toBeNull();
    const tis = await h.call('Viewer', { method: 'GET', url: '/api/v1/dags/tutorial/dagRuns/run_a/taskInstances' });
    expect(tis.json().task_instances.map((ti: { state: string }) => ti.state)).toEqual(['success', 'success', 'success']);

    const preview = await h.call('User', { method: 'POST', url: '/api/v1/dags/tutorial/dagRuns/run_a/clear', payload: {} });
    expect(preview.json()).toMatchObject({ dry_run: true, dag_runs: [{ run_id: 'run_a' }] });
    expect(preview.json().dag_runs[0].task_instances).toHaveLength(3);
    expect((await h.call('Viewer', { method: 'GET', url: '/api/v1/dags/tutorial/dagRuns/run_a' })).json().state).toBe('success');
    const cleared = await h.call('User', { method: 'POST', url: '/api/v1/dags/tutorial/dagRuns/run_a/clear', payload: { dry_run: false } });
    expect(cleared.json().dry_run).toBe(false);
    expect((await h.call('Viewer', { method: 'GET', url: '/api/v1/dags/tutorial/dagRuns/run_a' })).json()).toMatchObject({ state: 'queued', clear_number: 1 });
    expect((await h.call('User', { method: 'POST', url: '/api/v1/dags/tutorial/dagRuns/nope/clear', payload: {} })).statusCode).toBe(404);

    expect((await h.call('Viewer', { method: 'DELETE', url: '/api/v1/dags/first/dagRuns/first_run' })).statusCode).toBe(403);
    expect((await h.call('User', { method: 'DELETE', url: '/api/v1/dags/first/dagRuns/first_run' })).statusCode).toBe(204);
    expect((await h.call('User', { method: 'DELETE', url: '/api/v1/dags/first/dagRuns/first_run' })).statusCode).toBe(404);
  });

  it('grid: task ids once and one state code per task per run, newest run first', async () => {
    const grid = await h.call('Viewer', { method: 'GET', url: '/api/v1/dags/tutorial/grid?limit=10' });
    expect(grid.statusCode).toBe(200);
    const body = grid.json();
    expect(body.task_ids).toEqual(['print_date', 'sleep', 'templated']);
    expect(body.dag_runs.map((r: { run_id: string }) => r.run_id)).toEqual(['run_b', 'run_a']);
    const none = body.states.indexOf('none');
    expect(body.dag_runs[0].task_states).toEqual([none, none, none]);
    expect(body.total_entries).toBe(2);
  });
});
