import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { listImportErrors } from '../../store/index.ts';
import { latestHeartbeatsByJobType } from '../../store/queries/job-heartbeats.ts';
import type { ApiContext } from '../api-context.ts';
import { iso, ListPage, responses } from '../schemas/common.ts';
import { UPDRAFT_VERSION } from '../version.ts';

/** A component is healthy when it heartbeated this recently (Airflow's default threshold). */
const HEALTHY_WITHIN_MS = 30_000;
/** Job types as the components register them (the CLI's foreground runs say `scheduler`). */
const SCHEDULER_JOB_TYPES = ['SchedulerJob', 'scheduler'];
const DAG_PROCESSOR_JOB_TYPES = ['DagProcessorJob', 'dag_processor'];

/** Health (no auth), version and import errors. */
export const monitoringRoutes: FastifyPluginAsyncTypebox<ApiContext> = async (app, context) => {
  const { db } = context.store;

  app.get('/health', { config: { public: true }, schema: { tags: ['monitoring'], summary: 'Health of the metadata database, scheduler and DAG processor (no auth)', response: { 200: Type.Ref('Health') } } }, async (request) => {
    const now = Date.now();
    let heartbeats: Map<string, number> | null;
    try {
      heartbeats = await latestHeartbeatsByJobType(db);
    } catch (error) {
      request.log.warn({ err: error }, 'metadata database health check failed');
      heartbeats = null;
    }
    const component = (types: string[]) => {
      const latest = heartbeats === null ? null : Math.max(-1, ...types.map((type) => heartbeats.get(type) ?? -1));
      const known = latest !== null && latest >= 0 ? latest : null;
      return { status: known !== null && now - known <= HEALTHY_WITHIN_MS ? ('healthy' as const) : ('unhealthy' as const), latest_heartbeat: iso(known) };
    };
    return {
      metadatabase: { status: heartbeats === null ? ('unhealthy' as const) : ('healthy' as const) },
      scheduler: component(SCHEDULER_JOB_TYPES),
      dag_processor: component(DAG_PROCESSOR_JOB_TYPES),
      triggerer: null,
    };
  });

  app.get('/version', { schema: { tags: ['monitoring'], summary: 'Updraft version', response: responses({ 200: Type.Ref('Version') }) } }, async () => ({ version: UPDRAFT_VERSION, git_version: null }));

  app.get('/importErrors', { schema: { tags: ['monitoring'], summary: 'DAG files that failed to import', querystring: ListPage, response: responses({ 200: Type.Ref('ImportErrorCollection') }) } }, async (request) => {
    const all = await listImportErrors(db);
    const page = all.slice(request.query.offset, request.query.offset + request.query.limit);
    return {
      import_errors: page.map((error) => ({ filename: error.filename, code: error.code, message: error.message, stacktrace: error.stacktrace, timestamp: new Date(error.timestamp).toISOString() })),
      total_entries: all.length,
    };
  });
};
