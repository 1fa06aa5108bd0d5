import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { getTaskInstance, getXCom, listXComs, type XCom } from '../../store/index.ts';
import type { ApiContext } from '../api-context.ts';
import { found } from '../not-found.ts';
import { Id, responses } from '../schemas/common.ts';
import { MapIndexQuery, TaskInstanceParams } from '../schemas/task-instances.ts';
import { describe, tiKey } from './task-instances.ts';

const XComParams = Type.Object({ dag_id: Id, run_id: Id, task_id: Id, xcom_key: Id });

function toXComJson(xcom: XCom) {
  return { dag_id: xcom.dagId, run_id: xcom.runId, task_id: xcom.taskId, map_index: xcom.mapIndex, key: xcom.key, value: xcom.value, timestamp: new Date(xcom.timestamp).toISOString() };
}

/** XCom entries of a task instance (read-only). */
export const xcomRoutes: FastifyPluginAsyncTypebox<ApiContext> = async (app, context) => {
  const { db } = context.store;
  const base = '/dags/:dag_id/dagRuns/:run_id/taskInstances/:task_id/xcomEntries';

  app.get(base, { schema: { tags: ['xcom'], summary: 'XCom entries of a task instance', params: TaskInstanceParams, querystring: MapIndexQuery, response: responses({ 200: Type.Ref('XComCollection') }) } }, async (request) => {
    const key = tiKey(request.params, request.query.map_index);
    found(await getTaskInstance(db, key), 'TASK_INSTANCE_NOT_FOUND', describe(key));
    const entries = await listXComs(db, key);
    return { xcom_entries: entries.map(toXComJson), total_entries: entries.length };
  });

  app.get(`${base}/:xcom_key`, { schema: { tags: ['xcom'], summary: 'One XCom entry', params: XComParams, querystring: MapIndexQuery, response: responses({ 200: Type.Ref('XCom') }) } }, async (request) => {
    const key = { ...tiKey(request.params, request.query.map_index), key: request.params.xcom_key };
    return toXComJson(found(await getXCom(db, key), 'XCOM_NOT_FOUND', `No XCom "${key.key}" for ${key.dagId}/${key.runId}/${key.taskId}`));
  });
};
