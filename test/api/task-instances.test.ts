import { mkdirSync, writeFileSync, appendFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { taskLogPath } from '../../src/contracts/log-path.ts';
import { getTaskInstance, setTaskInstanceState, setXCom } from '../../src/store/index.ts';
import { insertTries, setTryRenderedFields, updateTry } from '../../src/store/queries/task-tries.ts';
import { createApiHarness, problemOf, type ApiHarness } from './support/api-harness.ts';

let h: ApiHarness;
const RUN = 'ti_run';
const TI = '/api/v1/dags/tutorial/dagRuns/ti_run/taskInstances';
const key = { dagId: 'tutorial', runId: RUN, taskId: 'print_date', mapIndex: -1 };

/** Starts try 1 of print_date the way a supervisor does: TI running, a try row, a log file. */
async function startFirstTry(): Promise<string> {
  const ti = await getTaskInstance(h.store.db, key);
  if (ti === null) throw new Error('seed TI missing');
  await setTaskInstanceState(h.store.db, key, { to: 'running', tryNumber: 1, startDate: Date.now(), hostname: 'host-a', pid: 42 });
  await insertTries(h.store.db, [{ ti, key: { ...key, tryNumber: 1 }, start: { now: Date.now(), hostname: 'host-a', pid: 42, logPath: taskLogPath({ ...key, tryNumber: 1 }) } }]);
  await setTryRenderedFields(h.store.db, { ...key, tryNumber: 1 }, { bash_command: 'date' });
  const file = join(h.config.logging.base_log_folder, taskLogPath({ ...key, tryNumber: 1 }));
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, 'line one\nline two\n');
  return file;
}

beforeAll(async () => {
  h = await createApiHarness();
  await h.call('User', { method: 'POST', url: '/api/v1/dags/tutorial/dagRuns', payload: { dag_run_id: RUN } });
  await h.call('User', { method: 'POST', url: '/api/v1/dags/first/dagRuns', payload: { dag_run_id: 'other' } });
});
afterAll(() => h.close());

describe('task instances', () => {
  it('lists per run and across runs with filters', async () => {
    const perRun = await h.call('Viewer', { method: 'GET', url: TI });
    expect(perRun.json().task_instances.map((ti: { task_id: string }) => ti.task_id)).toEqual(['print_date', 'sleep', 'templated']);
    const across = await h.call('Viewer', { method: 'GET', url: '/api/v1/taskInstances?state=none&limit=2' });
    expect(across.json()).toMatchObject({ total_entries: 4 });
    expect(across.json().task_instances).toHaveLength(2);
    const filtered = await h.call('Viewer', { method: 'GET', url: '/api/v1/taskInstances?dag_id=first&task_id=only' });
    expect(filtered.json().task_instances).toMatchObject([{ dag_id: 'first', run_id: 'other', task_id: 'only' }]);
    expect(problemOf(await h.call('Viewer', { method: 'GET', url: '/api/v1/taskInstances?state=nope' })).field).toBe('/query/state/0');
    expect((await h.call('Viewer', { method: 'GET', url: '/api/v1/dags/tutorial/dagRuns/nope/taskInstances' })).statusCode).toBe(404);
  });

  it('gets one TI, its tries and rendered fields; 404 for unknown keys', async () => {
    const logFile = await startFirstTry();
    expect(logFile).toContain('attempt=1.log');
    const ti = await h.call('Viewer', { method: 'GET', url: `${TI}/print_date` });
    expect(ti.json()).toMatchObject({ task_id: 'print_date', state: 'running', try_number: 1, hostname: 'host-a', pid: 42, map_index: -1 });
    const tries = await h.call('Viewer', { method: 'GET', url: `${TI}/print_date/tries` });
    expect(tries.json()).toMatchObject({ total_entries: 1, tries: [{ try_number: 1, state: 'running' }] });
    const rendered = await h.call('Viewer', { method: 'GET', url: `${TI}/print_date/renderedFields` });
    expect(rendered.json()).toMatchObject({ try_number: 1, rendered_fields: { bash_command: 'date' } });
    expect((await h.call('Viewer', { method: 'GET', url: `${TI}/print_date/renderedFields?try_number=2` })).statusCode).toBe(404);
    expect((await h.call('Viewer', { method: 'GET', url: `${TI}/nope` })).statusCode).toBe(404);
    expect((await h.call('Viewer', { method: 'GET', url: `${TI}/print_date?map_index=3` })).statusCode).toBe(404);
    expect(problemOf(await h.call('Viewer', { method: 'GET', url: `${TI}/print_date?map_index=-2` })).field).toBe('/query/map_index');
    expect((await h.call('Viewer', { method: 'GET', url: `${TI}/nope/tries` })).statusCode).toBe(404);
  });

  it('never shows a try error stack', async () => {
    await updateTry(h.store.db, { ...key, tryNumber: 1 }, { error: JSON.stringify({ code: 'TASK_FAILED', message: 'boom', stack: 'SECRET STACK at x.ts:1' }) });
    const tries = await h.call('Viewer', { method: 'GET', url: `${TI}/print_date/tries` });
    expect(tries.json().tries[0].error).toEqual({ code: 'TASK_FAILED', message: 'boom' });
    expect(tries.body).not.toContain('SECRET STACK');
  });

  it('reads logs by byte range with the next offset', async () => {
    const all = await h.call('Viewer', { method: 'GET', url: `${TI}/print_date/logs/1` });
    expect(all.statusCode).toBe(200);
    expect(all.headers['content-type']).toContain('text/plain');
    expect(all.body).toBe('line one\nline two\n');
    expect(all.headers['x-log-offset']).toBe('18');
    const range = await h.call('Viewer', { method: 'GET', url: `${TI}/print_date/logs/1?offset=5&limit=3` });
    expect(range.body).toBe('one');
    expect(range.headers['x-log-offset']).toBe('8');
    const past = await h.call('Viewer', { method: 'GET', url: `${TI}/print_date/logs/1?offset=1000` });
    expect(past.body).toBe('');
    expect(problemOf(await h.call('Viewer', { method: 'GET', url: `${TI}/print_date/logs/2` })).code).toBe('LOG_NOT_FOUND');
    expect(problemOf(await h.call('Viewer', { method: 'GET', url: `${TI}/print_date/logs/0` })).field).toBe('/params/try_number');
    expect((await h.call(null, { method: 'GET', url: `${TI}/print_date/logs/1` })).statusCode).toBe(401);
  });

  it('cannot read files outside the logs folder through traversal in ids', async () => {
    const secret = join(h.home, 'secret.txt');
    writeFileSync(secret, 'TOP SECRET');
    for (const id of ['..', '..%2F..%2Fsecret.txt', '%2E%2E', '..%5C..']) {
      const response = await h.call('Viewer', { method: 'GET', url: `/api/v1/dags/${id}/dagRuns/${id}/taskInstances/${id}/logs/1` });
      expect(response.statusCode, id).toBeLessThan(500);
      expect(response.body).not.toContain('TOP SECRET');
    }
  });

  it('follow streams new bytes while the try runs and ends when it finished', async () => {
    const file = join(h.config.logging.base_log_folder, taskLogPath({ ...key, tryNumber: 1 }));
    const finish = setTimeout(async () => {
      appendFileSync(file, 'line three\n');
      await updateTry(h.store.db, { ...key, tryNumber: 1 }, { state: 'success' });
    }, 100);
    const followed = await h.call('Viewer', { method: 'GET', url: `${TI}/print_date/logs/1?follow=true&offset=9` });
    clearTimeout(finish);
    expect(followed.statusCode).toBe(200);
    expect(followed.body).toBe('line two\nline three\n');
  });

  it('xcom: lists and gets entries; 404 for unknown ones', async () => {
    await setXCom(h.store.db, { ...key, key: 'return_value', json: JSON.stringify({ rows: 3 }), now: Date.now() });
    const list = await h.call('Viewer', { method: 'GET', url: `${TI}/print_date/xcomEntries` });
    expect(list.json()).toMatchObject({ total_entries: 1, xcom_entries: [{ key: 'return_value', value: { rows: 3 } }] });
    const one = await h.call('Viewer', { method: 'GET', url: `${TI}/print_date/xcomEntries/return_value` });
    expect(one.json().value).toEqual({ rows: 3 });
    expect(problemOf(await h.call('Viewer', { method: 'GET', url: `${TI}/print_date/xcomEntries/nope` })).code).toBe('XCOM_NOT_FOUND');
    expect((await h.call('Viewer', { method: 'GET', url: `${TI}/nope/xcomEntries` })).statusCode).toBe(404);
  });

  it('sets state with downstream, dry run first; Viewer gets 403', async () => {
    const url = `${TI}/print_date`;
    expect((await h.call('Viewer', { method: 'PATCH', url, payload: { state: 'success' } })).statusCode).toBe(403);
    expect(problemOf(await h.call('User', { method: 'PATCH', url, payload: { state: 'running' } })).field).toBe('/body/state');
    const preview = await h.call('User', { method: 'PATCH', url, payload: { state: 'failed', include_downstream: true, dry_run: true } });
    expect(preview.json().task_instances.map((c: { task_id: string }) => c.task_id).sort()).toEqual(['print_date', 'sleep', 'templated']);
    expect((await h.call('Viewer', { method: 'GET', url })).json().state).toBe('running');
    const applied = await h.call('User', { method: 'PATCH', url: `${TI}/sleep`, payload: { state: 'skipped' } });
    expect(applied.json()).toEqual({ dry_run: false, task_instances: [{ task_id: 'sleep', previous_state: 'none' }] });
    expect((await h.call('Viewer', { method: 'GET', url: `${TI}/sleep` })).json().state).toBe('skipped');
    expect((await h.call('User', { method: 'PATCH', url: `/api/v1/dags/tutorial/dagRuns/nope/taskInstances/sleep`, payload: { state: 'skipped' } })).statusCode).toBe(404);
  });

  it('clears task instances with upstream, dry run by default', async () => {
    const url = '/api/v1/dags/tutorial/clearTaskInstances';
    const preview = await h.call('User', { method: 'POST', url, payload: { dag_run_id: RUN, task_ids: ['sleep'], include_upstream: true } });
    expect(preview.json().dry_run).toBe(true);
    expect(preview.json().dag_runs[0].task_instances.map((ti: { task_id: string }) => ti.task_id).sort()).toEqual(['print_date', 'sleep']);
    const applied = await h.call('User', { method: 'POST', url, payload: { dag_run_id: RUN, task_ids: ['sleep'], dry_run: false } });
    expect(applied.json().dag_runs[0].task_instances).toEqual([{ task_id: 'sleep', map_index: -1, state: 'skipped' }]);
    expect((await h.call('Viewer', { method: 'GET', url: `${TI}/sleep` })).json().state).toBe('none');
    expect(problemOf(await h.call('User', { method: 'POST', url, payload: { task_ids: ['no_such_task'] } })).code).toBe('TASK_NOT_FOUND');
    expect(problemOf(await h.call('User', { method: 'POST', url, payload: { task_regex: '(' } })).code).toBe('INVALID_ARGUMENT');
    expect((await h.call('User', { method: 'POST', url: '/api/v1/dags/nope/clearTaskInstances', payload: {} })).statusCode).toBe(404);
    expect((await h.call('Viewer', { method: 'POST', url, payload: {} })).statusCode).toBe(403);
  });
});
