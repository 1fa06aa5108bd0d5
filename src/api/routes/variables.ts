import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { deleteVariable, getVariable, listVariables, setVariable } from '../../store/index.ts';
import type { ApiContext } from '../api-context.ts';
import { found } from '../not-found.ts';
import { ListPage, NoContent, responses } from '../schemas/common.ts';
import { KeyParams, toVariableJson, VariableBody, VariablePatchBody } from '../schemas/config-objects.ts';

/** Variables: read by everyone, managed by Op. Encrypted values are never returned. */
export const variableRoutes: FastifyPluginAsyncTypebox<ApiContext> = async (app, context) => {
  const { db, secrets } = context.store;
  const op = { minRole: 'Op' as const };
  const noVariable = (key: string) => `No variable "${key}"`;
  const summary = async (key: string) => {
    const variable = found(await getVariable(db, secrets, key), 'VARIABLE_NOT_FOUND', noVariable(key));
    return toVariableJson(variable);
  };

  app.get('/variables', { schema: { tags: ['variables'], summary: 'List variables', querystring: ListPage, response: responses({ 200: Type.Ref('VariableCollection') }) } }, async (request) => {
    const all = await listVariables(db);
    return { variables: all.slice(request.query.offset, request.query.offset + request.query.limit).map(toVariableJson), total_entries: all.length };
  });

  app.get('/variables/:key', { schema: { tags: ['variables'], summary: 'Get a variable', params: KeyParams, response: responses({ 200: Type.Ref('Variable') }) } }, async (request) =>
    summary(request.params.key),
  );

  app.post('/variables', { config: op, schema: { tags: ['variables'], summary: 'Create or replace a variable', body: VariableBody, response: responses({ 201: Type.Ref('Variable') }) } }, async (request, reply) => {
    const { body } = request;
    await setVariable(db, secrets, { key: body.key, value: body.value, description: body.description ?? null, encrypt: body.is_encrypted ?? false });
    return reply.code(201).send(await summary(body.key));
  });

  app.patch(
    '/variables/:key',
    { config: op, schema: { tags: ['variables'], summary: 'Update a variable', params: KeyParams, body: VariablePatchBody, response: responses({ 200: Type.Ref('Variable') }) } },
    async (request) => {
      const key = request.params.key;
      const current = found(await getVariable(db, secrets, key), 'VARIABLE_NOT_FOUND', noVariable(key));
      const { body } = request;
      await setVariable(db, secrets, {
        key,
        value: body.value,
        description: body.description === undefined ? current.description : body.description,
        encrypt: body.is_encrypted ?? current.isEncrypted,
      });
      return summary(key);
    },
  );

  app.delete('/variables/:key', { config: op, schema: { tags: ['variables'], summary: 'Delete a variable', params: KeyParams, response: responses({ 204: NoContent }) } }, async (request, reply) => {
    found((await deleteVariable(db, request.params.key)) ? true : null, 'VARIABLE_NOT_FOUND', noVariable(request.params.key));
    return reply.code(204).send(null);
  });
};
