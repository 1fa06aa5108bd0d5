import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ConnectionData } from '../../contracts/connection.ts';
import type { JsonValue } from '../../contracts/json.ts';
import type { XComQuery } from '../../contracts/task-execution-api.ts';
import type { TaskRunContextData } from '../../contracts/task-instance.ts';
import { withScope } from '../../sdk/build-scope.ts';
import { BashOperator, dag, Dag, type DagOptions } from '../../sdk/index.ts';
import { buildTaskContext, createMacros, renderTemplateFields, type TaskServices } from './index.ts';

const TUTORIAL = `
{% for i in range(5) %}
    echo "{{ ds }}"
    echo "{{ macros.ds_add(ds, 7)}}"
    echo "{{ params.my_param }}"
{% endfor %}
`;

function runData(overrides: Partial<TaskRunContextData['dagRun']> = {}, params: Record<string, JsonValue> = {}): TaskRunContextData {
  return {
    dagRun: {
      dagId: 'd',
      runId: 'scheduled__2015-06-01T00:00:00+00:00',
      runType: 'scheduled',
      state: 'running',
      logicalDate: '2015-06-01T00:00:00.000Z',
      dataIntervalStart: '2015-06-01T00:00:00.000Z',
      dataIntervalEnd: '2015-06-02T00:00:00.000Z',
      runAfter: '2015-06-02T00:00:00.000Z',
      startDate: '2015-06-02T00:00:05.000Z',
      conf: { source: 'test' },
      ...overrides,
    },
    ti: {
      dagId: 'd',
      runId: 'scheduled__2015-06-01T00:00:00+00:00',
      taskId: 't',
      mapIndex: -1,
      tryNumber: 1,
      maxTries: 0,
      state: 'running',
      hostname: 'host',
      pid: 1,
      pool: 'default_pool',
      queue: 'default',
      priorityWeight: 1,
      startDate: '2015-06-02T00:00:06.000Z',
    },
    previous: { prevDataIntervalStartSuccess: '2015-05-31T00:00:00.000Z', prevDataIntervalEndSuccess: null, prevStartDateSuccess: null, prevEndDateSuccess: null },
    params,
    xcomMaxBytes: null,
  };
}

/** Services answered from in-test maps, counting calls so tests can see the passes. */
function services(variables: Record<string, string> = {}, connections: Record<string, ConnectionData> = {}, xcoms: Record<string, JsonValue> = {}) {
  const calls: string[] = [];
  const api: TaskServices = {
    getVariable: async (key) => (calls.push(`var:${key}`), variables[key] ?? null),
    getConnection: async (id) => (calls.push(`conn:${id}`), connections[id] ?? null),
    pushXCom: async () => undefined,
    pullXCom: async (q: XComQuery) => (calls.push(`xcom:${q.taskId}:${q.key}`), xcoms[`${q.taskId}:${q.key}`]),
  };
  return { api, calls };
}

async function render(bashCommand: string, options: { dag?: Partial<DagOptions>; run?: TaskRunContextData; api?: TaskServices; env?: Record<string, string> } = {}) {
  const theDag = dag({ dagId: 'd', ...options.dag }, () => {
    new BashOperator({ taskId: 't', bashCommand, ...(options.env ? { env: options.env } : {}) });
  });
  const task = theDag.getTask('t') as BashOperator;
  const api = options.api ?? services().api;
  const { context } = buildTaskContext({ dag: theDag, task, run: options.run ?? runData(), services: api, macros: createMacros(theDag.userDefinedMacros) });
  const rendered = await renderTemplateFields({ dag: theDag, task, context, services: api });
  return { task, rendered, context };
}

describe('task context', () => {
  it('has the Airflow names and formats', async () => {
    const { context } = await render('true');
    expect(context).toMatchObject({
      ds: '2015-06-01',
      ds_nodash: '20150601',
      ts: '2015-06-01T00:00:00+00:00',
      ts_nodash: '20150601T000000',
      ts_nodash_with_tz: '20150601T000000+0000',
      run_id: 'scheduled__2015-06-01T00:00:00+00:00',
      runId: 'scheduled__2015-06-01T00:00:00+00:00',
    });
    expect(String(context.logical_date)).toBe('2015-06-01T00:00:00+00:00');
    expect(String(context.data_interval_end)).toBe('2015-06-02T00:00:00+00:00');
    expect(String(context.prev_data_interval_start_success)).toBe('2015-05-31T00:00:00+00:00');
    expect(context.prev_data_interval_end_success).toBeNull();
    expect(context.dag_run).toMatchObject({ run_type: 'scheduled', conf: { source: 'test' } });
    expect(context.ti).toMatchObject({ task_id: 't', try_number: 1, tryNumber: 1, max_tries: 0 });
    expect(context.task.taskId).toBe('t');
    expect(context.dag.dagId).toBe('d');
  });

  it('uses the time the run was due when a manual run has no logical date', async () => {
    const { context } = await render('true', { run: runData({ logicalDate: null, dataIntervalStart: null, dataIntervalEnd: null, runAfter: '2024-02-03T04:05:06.000Z' }) });
    expect(context.ds).toBe('2024-02-03');
    expect(String(context.data_interval_start)).toBe('2024-02-03T04:05:06+00:00');
  });

  it('reads variables and connections asynchronously in code', async () => {
    const conn: ConnectionData = { connId: 'db', connType: 'postgres', description: null, host: 'h', schema: null, login: null, password: null, port: 5432, extra: {} };
    const { context } = await render('true', { api: services({ plain: 'v', cfg: '{"a":1}' }, { db: conn }).api });
    await expect(context.var.value.get('plain')).resolves.toBe('v');
    await expect(context.var.json.get('cfg')).resolves.toEqual({ a: 1 });
    await expect(context.var.value.get('missing', 'fallback')).resolves.toBe('fallback');
    await expect(context.var.value.get('missing')).rejects.toMatchObject({ code: 'VARIABLE_NOT_FOUND' });
    await expect(context.var.json.get('plain')).rejects.toMatchObject({ code: 'VARIABLE_NOT_JSON' });
    await expect(context.conn.get('db')).resolves.toMatchObject({ host: 'h' });
    await expect(context.conn.get('nope')).rejects.toMatchObject({ code: 'CONN_NOT_FOUND' });
  });
});

describe('renderTemplateFields', () => {
  it('renders the tutorial template into five blocks', async () => {
    const { task } = await render(TUTORIAL, { dag: { params: { my_param: 'Parameter I passed in' } }, run: runData({}, { my_param: 'Parameter I passed in' }) });
    const lines = task.bashCommand.split('\n').map((line) => line.trim()).filter((line) => line !== '');
    const block = ['echo "2015-06-01"', 'echo "2015-06-08"', 'echo "Parameter I passed in"'];
    expect(lines).toEqual([...block, ...block, ...block, ...block, ...block]);
  });

  it('renders in place and returns JSON for the UI; objects and arrays recursively', async () => {
    const { task, rendered } = await render('echo {{ ds_nodash }}', { env: { DAY: '{{ ds }}', RUN: '{{ run_id }}' } });
    expect(task.bashCommand).toBe('echo 20150601');
    expect(task.env).toEqual({ DAY: '2015-06-01', RUN: 'scheduled__2015-06-01T00:00:00+00:00' });
    expect(rendered).toEqual({ bashCommand: 'echo 20150601', env: task.env, cwd: null });
  });

  it('renders undefined values as empty strings and prints dates like Airflow', async () => {
    const { task } = await render('[{{ nothing.here }}] {{ logical_date }} {{ data_interval_end | ds }} {{ logical_date.strftime("%d/%m") }}');
    expect(task.bashCommand).toBe('[] 2015-06-01T00:00:00+00:00 2015-06-02 01/06');
  });

  it('fetches variables in passes, including lookups that depend on other variables', async () => {
    const { api, calls } = services({ env: 'prod', prod_bucket: 's3://prod', cfg: '{"db":{"port":5432}}' });
    const { task } = await render('{{ var.value.env }} {{ var.value[var.value.env ~ "_bucket"] }} {{ var.json.cfg.db.port }} {{ var.value.get("nope", "dflt") }}', { api });
    expect(task.bashCommand).toBe('prod s3://prod 5432 dflt');
    // Each name is fetched once; the first pass also asked for "_bucket" (env was not known yet).
    expect(new Set(calls).size).toBe(calls.length);
    expect(calls).toEqual(expect.arrayContaining(['var:cfg', 'var:env', 'var:nope', 'var:prod_bucket']));
  });

  it('reads connections and upstream XComs', async () => {
    const conn: ConnectionData = { connId: 'db', connType: 'postgres', description: null, host: 'db.local', schema: 'app', login: 'u', password: 'p', port: 5432, extra: { ssl: true } };
    const { api } = services({}, { db: conn }, { 'extract:return_value': 42, 'extract:rows': [1, 2] });
    const { task } = await render(
      "{{ conn.db.host }}:{{ conn.db.port }} {{ conn.db.extra_dejson.ssl }} {{ ti.xcom_pull(task_ids='extract') }} {{ ti.xcom_pull('extract', key='rows') | tojson }}",
      { api },
    );
    expect(task.bashCommand).toBe('db.local:5432 true 42 [1,2]');
  });

  it('a missing variable is VARIABLE_NOT_FOUND naming the key', async () => {
    await expect(render('{{ var.value.missing_key }}')).rejects.toMatchObject({ code: 'VARIABLE_NOT_FOUND', message: expect.stringContaining('missing_key') });
    await expect(render('{{ conn.nope.host }}')).rejects.toMatchObject({ code: 'CONN_NOT_FOUND' });
  });

  it('syntax errors are TEMPLATE_ERROR naming task and field', async () => {
    await expect(render('{% if %}')).rejects.toMatchObject({
      code: 'TEMPLATE_ERROR',
      message: expect.stringContaining('Task "t" of DAG "d": cannot render field "bashCommand"'),
      details: { dagId: 'd', taskId: 't', field: 'bashCommand' },
    });
  });

  it('user-defined macros are available at the top level and under macros', async () => {
    const { task } = await render('{{ shout("a") }}{{ macros.shout("b") }}', { dag: { userDefinedMacros: { shout: (t: string) => t.toUpperCase() } } });
    expect(task.bashCommand).toBe('AB');
  });
});

describe('template files', () => {
  const folder = mkdtempSync(join(tmpdir(), 'updraft-templates-'));
  mkdirSync(join(folder, 'scripts'));
  mkdirSync(join(folder, 'shared'));
  writeFileSync(join(folder, 'scripts', 'run.sh'), 'echo "run {{ ds }}"\n');
  writeFileSync(join(folder, 'shared', 'common.sh'), 'echo "common {{ params.x }}"\n');

  /** A DAG whose file lives in `folder`, as the loader would create it. */
  function fileDag(bashCommand: string): { dag: Dag; task: BashOperator } {
    const settingsDag = dag({ dagId: 'files', templateSearchpath: 'shared', params: { x: 1 } }, () => {});
    const fileBacked = new Dag(settingsDag.settings, join(folder, 'dag.ts'));
    const task = withScope({ host: fileBacked, group: null }, () => new BashOperator({ taskId: 't', bashCommand }));
    return { dag: fileBacked, task };
  }

  async function renderFile(bashCommand: string): Promise<string> {
    const { dag: fileBacked, task } = fileDag(bashCommand);
    const api = services().api;
    const { context } = buildTaskContext({ dag: fileBacked, task, run: runData({}, { x: 1 }), services: api, macros: createMacros({}) });
    await renderTemplateFields({ dag: fileBacked, task, context, services: api });
    return task.bashCommand;
  }

  it('reads a value ending in .sh from the DAG folder, then templateSearchpath', async () => {
    expect(await renderFile('scripts/run.sh')).toBe('echo "run 2015-06-01"\n');
    expect(await renderFile('common.sh')).toBe('echo "common 1"\n');
  });

  it('a missing file is TEMPLATE_NOT_FOUND', async () => {
    await expect(renderFile('scripts/missing.sh')).rejects.toMatchObject({ code: 'TEMPLATE_NOT_FOUND', details: { file: 'scripts/missing.sh' } });
  });
});
