import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { clearTasks, setTaskState } from '../../operations/index.ts';
import { getDag, getDagRun, getTaskInstance, listTaskInstances, listTries } from '../../store/index.ts';
import { searchTaskInstances } from '../../store/queries/task-instance-search.ts';
import type { ApiContext } from '../api-context.ts';
import { found } from '../not-found.ts';
import { millis, responses } from '../schemas/common.ts';
import { DagRunParams } from '../schemas/dag-runs.ts';
import { DagIdParams } from '../schemas/dags.ts';
import {
  ClearTaskInstancesBody,
  ListAllTaskInstancesQuery,
  MapIndexQuery,
  RenderedFieldsQuery,
  SetTaskStateBody,
  TaskInstanceParams,
  toTaskInstanceJson,
  toTryJson,
} from '../schemas/task-instances.ts';
import { toClearPlanJson } from './run-helpers.ts';

/** Task instances: list per run and across runs, get, tries, rendered fields, clear, set state. */
export const taskInstanceRoutes: FastifyPluginAsyncTypebox<ApiContext> = async (app, context) => {
  const { store } = context;
  const tiPath = '/dags/:dag_id/dagRuns/:run_id/taskInstances/:task_id';

  app.get('/taskInstances', { schema: { tags: ['task instances'], summary: 'List task instances across runs and DAGs', querystring: ListAllTaskInstancesQuery, response: responses({ 200: Type.Ref('TaskInstanceCollection') }) } }, async (request) => {
    const { query } = request;
    const { taskInstances, total } = await searchTaskInstances(store.db, {
      limit: query.limit,
      offset: query.offset,
      ...(query.dag_id === undefined ? {} : { dagId: query.dag_id }),
      ...(query.run_id === undefined ? {} : { runId: query.run_id }),
      ...(query.task_id === undefined ? {} : { taskId: query.task_id }),
      ...(query.state === undefined ? {} : { states: query.state }),
      ...(query.start_date_gte === undefined ? {} : { startDateFrom: millis(query.start_date_gte) }),
      ...(query.start_date_lte === undefined ? {} : { startDateTo: millis(query.start_date_lte) }),
    });
    return { task_instances: taskInstances.map(toTaskInstanceJson), total_entries: total };
  });

  app.get(
    '/dags/:dag_id/dagRuns/:run_id/taskInstances',
    { schema: { tags: ['task instances'], summary: 'The task instances of a run', params: DagRunParams, response: responses({ 200: Type.Ref('TaskInstanceCollection') }) } },
    async (request) => {
      const key = { dagId: request.params.dag_id, runId: request.params.run_id };
      found(await getDagRun(store.db, key), 'DAG_RUN_NOT_FOUND', `No run "${key.runId}" of DAG "${key.dagId}"`);
      const instances = await listTaskInstances(store.db, key);
      return { task_instances: instances.map(toTaskInstanceJson), total_entries: instances.length };
    },
  );

  app.get(tiPath, { schema: { tags: ['task instances'], summary: 'Get a task instance', params: TaskInstanceParams, querystring: MapIndexQuery, response: responses({ 200: Type.Ref('TaskInstance') }) } }, async (request) => {
    const key = tiKey(request.params, request.query.map_index);
    return toTaskInstanceJson(found(await getTaskInstance(store.db, key), 'TASK_INSTANCE_NOT_FOUND', describe(key)));
  });

  app.get(
    `${tiPath}/tries`,
    { schema: { tags: ['task instances'], summary: 'The tries history of a task instance', params: TaskInstanceParams, querystring: MapIndexQuery, response: responses({ 200: Type.Ref('TaskInstanceTryCollection') }) } },
    async (request) => {
      const key = tiKey(request.params, request.query.map_index);
      found(await getTaskInstance(store.db, key), 'TASK_INSTANCE_NOT_FOUND', describe(key));
      const tries = await listTries(store.db, key);
      return { tries: tries.map(toTryJson), total_entries: tries.length };
    },
  );

  app.get(
    `${tiPath}/renderedFields`,
    { schema: { tags: ['task instances'], summary: 'Rendered template fields of a try (default: the latest)', params: TaskInstanceParams, querystring: RenderedFieldsQuery, response: responses({ 200: Type.Ref('RenderedFields') }) } },
    async (request) => {
      const key = tiKey(request.params, request.query.map_index);
      const tries = await listTries(store.db, key);
      const wanted = request.query.try_number;
      const attempt = found(wanted === undefined ? tries.at(-1) : tries.find((t) => t.tryNumber === wanted), 'TASK_INSTANCE_NOT_FOUND', `${describe(key)} has no try ${wanted ?? ''}`.trim());
      return { task_id: key.taskId, map_index: key.mapIndex, try_number: attempt.tryNumber, rendered_fields: attempt.renderedFields };
    },
  );

  app.post(
    '/dags/:dag_id/clearTaskInstances',
    { config: { minRole: 'User' }, schema: { tags: ['task instances'], summary: 'Clear task instances (with upstream/downstream); dry_run previews', params: DagIdParams, body: ClearTaskInstancesBody, response: responses({ 200: Type.Ref('ClearPlan') }) } },
    async (request) => {
      const { body } = request;
      const dagId = request.params.dag_id;
      found(await getDag(store.db, dagId), 'DAG_NOT_FOUND', `No DAG "${dagId}"`);
      const dryRun = body.dry_run ?? true;
      const plan = await clearTasks(store, {
        dagId,
        ...(body.dag_run_id === undefined ? {} : { runId: body.dag_run_id }),
        ...(body.start_date === undefined ? {} : { start: millis(body.start_date) }),
        ...(body.end_date === undefined ? {} : { end: millis(body.end_date) }),
        ...(body.task_ids === undefined ? {} : { taskIds: body.task_ids }),
        ...(body.task_regex === undefined ? {} : { taskRegex: body.task_regex }),
        upstream: body.include_upstream ?? false,
        downstream: body.include_downstream ?? false,
        onlyFailed: body.only_failed ?? false,
        dryRun,
        now: Date.now(),
      });
      if (!dryRun) await context.wakeScheduler(dagId);
      return toClearPlanJson(plan, dryRun);
    },
  );

  app.patch(
    tiPath,
    { config: { minRole: 'User' }, schema: { tags: ['task instances'], summary: 'Mark a task (and optionally relatives) success, failed or skipped', params: TaskInstanceParams, body: SetTaskStateBody, response: responses({ 200: Type.Ref('TaskStateChanges') }) } },
    async (request) => {
      const { body, params } = request;
      const dryRun = body.dry_run ?? false;
      const changes = await setTaskState(store, {
        dagId: params.dag_id,
        runId: params.run_id,
        taskIds: [params.task_id],
        state: body.state,
        upstream: body.include_upstream ?? false,
        downstream: body.include_downstream ?? false,
        dryRun,
        now: Date.now(),
      });
      if (!dryRun) await context.wakeScheduler(params.dag_id);
      return { dry_run: dryRun, task_instances: changes.map((change) => ({ task_id: change.taskId, previous_state: change.from })) };
    },
  );
};

export function tiKey(params: { dag_id: string; run_id: string; task_id: string }, mapIndex: number | undefined) {
  return { dagId: params.dag_id, runId: params.run_id, taskId: params.task_id, mapIndex: mapIndex ?? -1 };
}

export function describe(key: { dagId: string; runId: string; taskId: string; mapIndex: number }): string {
  return `No task instance ${key.dagId}/${key.runId}/${key.taskId}${key.mapIndex >= 0 ? `[${key.mapIndex}]` : ''}`;
}
