import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { ConnectionData } from '../../contracts/connection.ts';
import type { JsonObject } from '../../contracts/json.ts';
import { deleteConnection, getConnection, listConnections, setConnection } from '../../store/index.ts';
import type { ApiContext } from '../api-context.ts';
import { found } from '../not-found.ts';
import { ListPage, NoContent, responses } from '../schemas/common.ts';
import { ConnectionBody, ConnectionParams, ConnectionPatchBody, toConnectionJson } from '../schemas/config-objects.ts';

/** Connections: read by everyone without secrets, managed by Op. Passwords and extras are write-only. */
export const connectionRoutes: FastifyPluginAsyncTypebox<ApiContext> = async (app, context) => {
  const { db, secrets } = context.store;
  const op = { minRole: 'Op' as const };
  const noConnection = (connId: string) => `No connection "${connId}"`;
  const summary = (connection: ConnectionData) =>
    toConnectionJson({ ...connection, hasPassword: connection.password !== null, hasExtra: Object.keys(connection.extra).length > 0 });

  app.get('/connections', { schema: { tags: ['connections'], summary: 'List connections', querystring: ListPage, response: responses({ 200: Type.Ref('ConnectionCollection') }) } }, async (request) => {
    const all = await listConnections(db);
    return { connections: all.slice(request.query.offset, request.query.offset + request.query.limit).map(toConnectionJson), total_entries: all.length };
  });

  app.get('/connections/:connection_id', { schema: { tags: ['connections'], summary: 'Get a connection (no password)', params: ConnectionParams, response: responses({ 200: Type.Ref('Connection') }) } }, async (request) =>
    summary(found(await getConnection(db, secrets, request.params.connection_id), 'CONN_NOT_FOUND', noConnection(request.params.connection_id))),
  );

  app.post('/connections', { config: op, schema: { tags: ['connections'], summary: 'Create or replace a connection', body: ConnectionBody, response: responses({ 201: Type.Ref('Connection') }) } }, async (request, reply) => {
    const { body } = request;
    const connection: ConnectionData = {
      connId: body.connection_id,
      connType: body.conn_type,
      description: body.description ?? null,
      host: body.host ?? null,
      schema: body.schema ?? null,
      login: body.login ?? null,
      password: body.password ?? null,
      port: body.port ?? null,
      extra: (body.extra ?? {}) as JsonObject,
    };
    await setConnection(db, secrets, connection);
    return reply.code(201).send(summary(connection));
  });

  app.patch(
    '/connections/:connection_id',
    { config: op, schema: { tags: ['connections'], summary: 'Update fields of a connection (omitted fields keep their value)', params: ConnectionParams, body: ConnectionPatchBody, response: responses({ 200: Type.Ref('Connection') }) } },
    async (request) => {
      const connId = request.params.connection_id;
      const current = found(await getConnection(db, secrets, connId), 'CONN_NOT_FOUND', noConnection(connId));
      const { body } = request;
      const updated: ConnectionData = {
        connId,
        connType: body.conn_type ?? current.connType,
        description: body.description === undefined ? current.description : body.description,
        host: body.host === undefined ? current.host : body.host,
        schema: body.schema === undefined ? current.schema : body.schema,
        login: body.login === undefined ? current.login : body.login,
        password: body.password === undefined ? current.password : body.password,
        port: body.port === undefined ? current.port : body.port,
        extra: body.extra === undefined ? current.extra : (body.extra as JsonObject),
      };
      await setConnection(db, secrets, updated);
      return summary(updated);
    },
  );

  app.delete('/connections/:connection_id', { config: op, schema: { tags: ['connections'], summary: 'Delete a connection', params: ConnectionParams, response: responses({ 204: NoContent }) } }, async (request, reply) => {
    found((await deleteConnection(db, request.params.connection_id)) ? true : null, 'CONN_NOT_FOUND', noConnection(request.params.connection_id));
    return reply.code(204).send(null);
  });
};
