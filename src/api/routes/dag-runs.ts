import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { JsonObject } from '../../contracts/json.ts';
import { clearTasks, setTaskState, triggerDagRun } from '../../operations/index.ts';
import { deleteDagRun, getDag, getDagRun, listDagRuns, setDagRunState, type ListDagRunsOptions } from '../../store/index.ts';
import { type ApiContext, principalOf } from '../api-context.ts';
import { found } from '../not-found.ts';
import { millis, NoContent, responses } from '../schemas/common.ts';
import {
  ClearDagRunBody,
  DagRunParams,
  ListAllDagRunsQuery,
  ListDagRunsQuery,
  PatchDagRunBody,
  toDagRunJson,
  TriggerDagRunBody,
} from '../schemas/dag-runs.ts';
import { DagIdParams } from '../schemas/dags.ts';
import { paramsErrorAsBadConf, toClearPlanJson } from './run-helpers.ts';

type RunFilters = { state?: ListDagRunsOptions['states']; run_type?: ListDagRunsOptions['runTypes']; logical_date_gte?: string; logical_date_lte?: string; order_by?: string; limit: number; offset: number };

function listOptions(query: RunFilters, dagId: string | undefined): ListDagRunsOptions {
  return {
    limit: query.limit,
    offset: query.offset,
    order: query.order_by === 'run_after' ? 'run_after_asc' : 'run_after_desc',
    ...(dagId === undefined ? {} : { dagId }),
    ...(query.state === undefined ? {} : { states: query.state }),
    ...(query.run_type === undefined ? {} : { runTypes: query.run_type }),
    ...(query.logical_date_gte === undefined ? {} : { logicalDateFrom: millis(query.logical_date_gte) }),
    ...(query.logical_date_lte === undefined ? {} : { logicalDateTo: millis(query.logical_date_lte) }),
  };
}

/** DAG runs: list (per DAG and across DAGs), trigger, get, mark success/failed, clear, delete. */
export const dagRunRoutes: FastifyPluginAsyncTypebox<ApiContext> = async (app, context) => {
  const { store } = context;
  const noRun = (dagId: string, runId: string) => `No run "${runId}" of DAG "${dagId}"`;
  const user = { minRole: 'User' as const };

  app.get('/dagRuns', { schema: { tags: ['dag runs'], summary: 'List DAG runs across DAGs', querystring: ListAllDagRunsQuery, response: responses({ 200: Type.Ref('DagRunCollection') }) } }, async (request) => {
    const { runs, total } = await listDagRuns(store.db, listOptions(request.query, request.query.dag_id));
    return { dag_runs: runs.map(toDagRunJson), total_entries: total };
  });

  app.get(
    '/dags/:dag_id/dagRuns',
    { schema: { tags: ['dag runs'], summary: 'List the runs of a DAG', params: DagIdParams, querystring: ListDagRunsQuery, response: responses({ 200: Type.Ref('DagRunCollection') }) } },
    async (request) => {
      found(await getDag(store.db, request.params.dag_id), 'DAG_NOT_FOUND', `No DAG "${request.params.dag_id}"`);
      const { runs, total } = await listDagRuns(store.db, listOptions(request.query, request.params.dag_id));
      return { dag_runs: runs.map(toDagRunJson), total_entries: total };
    },
  );

  app.post(
    '/dags/:dag_id/dagRuns',
    { config: user, schema: { tags: ['dag runs'], summary: 'Trigger a DAG run', params: DagIdParams, body: TriggerDagRunBody, response: responses({ 201: Type.Ref('DagRun') }) } },
    async (request, reply) => {
      const { body } = request;
      const run = await paramsErrorAsBadConf(() =>
        triggerDagRun(store, {
          dagId: request.params.dag_id,
          conf: (body.conf ?? {}) as JsonObject,
          ...(body.logical_date === undefined ? {} : { logicalDate: millis(body.logical_date) }),
          ...(body.dag_run_id === undefined ? {} : { runId: body.dag_run_id }),
          note: body.note ?? null,
          triggeredBy: `api:${principalOf(request).user.username}`.slice(0, 64),
          now: Date.now(),
        }),
      );
      await context.wakeScheduler(run.dagId);
      return reply.code(201).send(toDagRunJson(run));
    },
  );

  app.get('/dags/:dag_id/dagRuns/:run_id', { schema: { tags: ['dag runs'], summary: 'Get a DAG run', params: DagRunParams, response: responses({ 200: Type.Ref('DagRun') }) } }, async (request) => {
    const { dag_id: dagId, run_id: runId } = request.params;
    return toDagRunJson(found(await getDagRun(store.db, { dagId, runId }), 'DAG_RUN_NOT_FOUND', noRun(dagId, runId)));
  });

  app.patch(
    '/dags/:dag_id/dagRuns/:run_id',
    { config: user, schema: { tags: ['dag runs'], summary: 'Mark a run success or failed', params: DagRunParams, body: PatchDagRunBody, response: responses({ 200: Type.Ref('DagRun') }) } },
    async (request) => {
      const { dag_id: dagId, run_id: runId } = request.params;
      found(await getDagRun(store.db, { dagId, runId }), 'DAG_RUN_NOT_FOUND', noRun(dagId, runId));
      const now = Date.now();
      const state = request.body.state;
      // As Airflow: marking a run marks its tasks that have not finished that way too.
      await setTaskState(store, { dagId, runId, state, now });
      await setDagRunState(store.db, { dagId, runId }, state, now);
      await context.wakeScheduler(dagId);
      return toDagRunJson(found(await getDagRun(store.db, { dagId, runId }), 'DAG_RUN_NOT_FOUND', noRun(dagId, runId)));
    },
  );

  app.post(
    '/dags/:dag_id/dagRuns/:run_id/clear',
    { config: user, schema: { tags: ['dag runs'], summary: 'Clear a run so the scheduler runs it again (dry_run previews)', params: DagRunParams, body: ClearDagRunBody, response: responses({ 200: Type.Ref('ClearPlan') }) } },
    async (request) => {
      const { dag_id: dagId, run_id: runId } = request.params;
      const dryRun = request.body.dry_run ?? true;
      const plan = await clearTasks(store, { dagId, runId, onlyFailed: request.body.only_failed ?? false, dryRun, now: Date.now() });
      if (!dryRun) await context.wakeScheduler(dagId);
      return toClearPlanJson(plan, dryRun);
    },
  );

  app.delete(
    '/dags/:dag_id/dagRuns/:run_id',
    { config: user, schema: { tags: ['dag runs'], summary: 'Delete a run with its task instances and XComs', params: DagRunParams, response: responses({ 204: NoContent }) } },
    async (request, reply) => {
      const { dag_id: dagId, run_id: runId } = request.params;
      found((await deleteDagRun(store.db, { dagId, runId })) > 0 ? true : null, 'DAG_RUN_NOT_FOUND', noRun(dagId, runId));
      return reply.code(204).send(null);
    },
  );
};
