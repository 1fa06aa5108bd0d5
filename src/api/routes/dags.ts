import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { deleteDag, getDag, getLatestSerializedDag, getSerializedDagVersion, listDags, listDagVersions, setPaused, type DagOrder } from '../../store/index.ts';
import type { ApiContext } from '../api-context.ts';
import { found } from '../not-found.ts';
import { NoContent, responses } from '../schemas/common.ts';
import { DagIdParams, ListDagsQuery, PatchDagBody, SourceQuery, toDagJson, toDagVersionJson } from '../schemas/dags.ts';

const ORDER: Record<string, DagOrder> = {
  dag_id: 'dagId',
  '-dag_id': '-dagId',
  last_parsed_at: 'lastParsedAt',
  '-last_parsed_at': '-lastParsedAt',
  next_dagrun_create_after: 'nextDagrunCreateAfter',
  '-next_dagrun_create_after': '-nextDagrunCreateAfter',
};

/** DAGs: list, get, details with the serialized graph, versions, source, pause, delete. */
export const dagRoutes: FastifyPluginAsyncTypebox<ApiContext> = async (app, context) => {
  const { db } = context.store;
  const noDag = (dagId: string) => `No DAG "${dagId}"`;

  app.get('/dags', { schema: { tags: ['dags'], summary: 'List DAGs', querystring: ListDagsQuery, response: responses({ 200: Type.Ref('DagCollection') }) } }, async (request) => {
    const { query } = request;
    const { dags, total } = await listDags(db, {
      limit: query.limit,
      offset: query.offset,
      ...(query.search === undefined ? {} : { search: query.search }),
      ...(query.tags === undefined ? {} : { tags: query.tags }),
      ...(query.paused === undefined ? {} : { paused: query.paused }),
      ...(query.active === undefined ? {} : { active: query.active }),
      orderBy: ORDER[query.order_by ?? 'dag_id'] ?? 'dagId',
    });
    return { dags: dags.map(toDagJson), total_entries: total };
  });

  app.get('/dags/:dag_id', { schema: { tags: ['dags'], summary: 'Get a DAG', params: DagIdParams, response: responses({ 200: Type.Ref('Dag') }) } }, async (request) => {
    return toDagJson(found(await getDag(db, request.params.dag_id), 'DAG_NOT_FOUND', noDag(request.params.dag_id)));
  });

  app.get(
    '/dags/:dag_id/details',
    { schema: { tags: ['dags'], summary: 'A DAG with its latest serialized version (tasks, edges, params)', params: DagIdParams, response: responses({ 200: Type.Ref('DagDetails') }) } },
    async (request) => {
      const dagId = request.params.dag_id;
      const dag = found(await getDag(db, dagId), 'DAG_NOT_FOUND', noDag(dagId));
      const latest = found(await getLatestSerializedDag(db, dagId), 'DAG_NOT_FOUND', `DAG "${dagId}" has no serialized version`);
      return { dag: toDagJson(dag), version: toDagVersionJson(latest), serialized_dag: latest.dag as unknown as Record<string, unknown> };
    },
  );

  app.get(
    '/dags/:dag_id/versions',
    { schema: { tags: ['dags'], summary: 'Versions of a DAG, newest first', params: DagIdParams, response: responses({ 200: Type.Ref('DagVersionCollection') }) } },
    async (request) => {
      found(await getDag(db, request.params.dag_id), 'DAG_NOT_FOUND', noDag(request.params.dag_id));
      const versions = await listDagVersions(db, request.params.dag_id);
      return { versions: versions.map(toDagVersionJson), total_entries: versions.length };
    },
  );

  app.get(
    '/dagSources/:dag_id',
    { schema: { tags: ['dags'], summary: 'Source code of a DAG version', params: DagIdParams, querystring: SourceQuery, response: responses({ 200: Type.Ref('DagSource') }) } },
    async (request) => {
      const dagId = request.params.dag_id;
      const wanted = request.query.version_number;
      const versions = await listDagVersions(db, dagId);
      found(versions[0], 'DAG_NOT_FOUND', noDag(dagId));
      const version = found(
        wanted === undefined ? versions[0] : versions.find((candidate) => candidate.versionNumber === wanted),
        'DAG_VERSION_NOT_FOUND',
        `DAG "${dagId}" has no version ${wanted}`,
        `Versions: ${versions.map((v) => v.versionNumber).join(', ')}`,
      );
      const stored = found(await getSerializedDagVersion(db, dagId, version.versionHash), 'DAG_VERSION_NOT_FOUND', `DAG "${dagId}" version ${version.versionNumber} is gone`);
      return { dag_id: dagId, version_number: stored.versionNumber, fileloc: stored.fileloc, content: stored.sourceCode };
    },
  );

  app.patch(
    '/dags/:dag_id',
    { config: { minRole: 'User' }, schema: { tags: ['dags'], summary: 'Pause or unpause a DAG', params: DagIdParams, body: PatchDagBody, response: responses({ 200: Type.Ref('Dag') }) } },
    async (request) => {
      const dagId = request.params.dag_id;
      found((await setPaused(db, dagId, request.body.is_paused)) ? true : null, 'DAG_NOT_FOUND', noDag(dagId));
      if (!request.body.is_paused) await context.wakeScheduler(dagId);
      return toDagJson(found(await getDag(db, dagId), 'DAG_NOT_FOUND', noDag(dagId)));
    },
  );

  app.delete(
    '/dags/:dag_id',
    { config: { minRole: 'User' }, schema: { tags: ['dags'], summary: 'Delete a DAG and all its runs (the file re-creates it when parsed again)', params: DagIdParams, response: responses({ 204: NoContent }) } },
    async (request, reply) => {
      found((await deleteDag(db, request.params.dag_id)) ? true : null, 'DAG_NOT_FOUND', noDag(request.params.dag_id));
      return reply.code(204).send(null);
    },
  );
};
