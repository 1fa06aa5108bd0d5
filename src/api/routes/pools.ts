import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { deletePool, getPool, listPools, setPool } from '../../store/index.ts';
import type { ApiContext } from '../api-context.ts';
import { found } from '../not-found.ts';
import { ListPage, NoContent, responses } from '../schemas/common.ts';
import { PoolBody, PoolParams, PoolPatchBody, toPoolJson } from '../schemas/config-objects.ts';

/** Pools with their slot usage: read by everyone, managed by Op. */
export const poolRoutes: FastifyPluginAsyncTypebox<ApiContext> = async (app, context) => {
  const { db } = context.store;
  const op = { minRole: 'Op' as const };
  const noPool = (name: string) => `No pool "${name}"`;

  app.get('/pools', { schema: { tags: ['pools'], summary: 'List pools', querystring: ListPage, response: responses({ 200: Type.Ref('PoolCollection') }) } }, async (request) => {
    const all = await listPools(db);
    return { pools: all.slice(request.query.offset, request.query.offset + request.query.limit).map(toPoolJson), total_entries: all.length };
  });

  app.get('/pools/:pool_name', { schema: { tags: ['pools'], summary: 'Get a pool', params: PoolParams, response: responses({ 200: Type.Ref('Pool') }) } }, async (request) =>
    toPoolJson(found(await getPool(db, request.params.pool_name), 'POOL_NOT_FOUND', noPool(request.params.pool_name))),
  );

  app.post('/pools', { config: op, schema: { tags: ['pools'], summary: 'Create or replace a pool', body: PoolBody, response: responses({ 201: Type.Ref('Pool') }) } }, async (request, reply) => {
    const { body } = request;
    await setPool(db, { name: body.name, slots: body.slots, description: body.description ?? null, includeDeferred: body.include_deferred ?? false });
    return reply.code(201).send(toPoolJson(found(await getPool(db, body.name), 'POOL_NOT_FOUND', noPool(body.name))));
  });

  app.patch('/pools/:pool_name', { config: op, schema: { tags: ['pools'], summary: 'Update a pool', params: PoolParams, body: PoolPatchBody, response: responses({ 200: Type.Ref('Pool') }) } }, async (request) => {
    const name = request.params.pool_name;
    const current = found(await getPool(db, name), 'POOL_NOT_FOUND', noPool(name));
    const { body } = request;
    await setPool(db, {
      name,
      slots: body.slots ?? current.slots,
      description: body.description === undefined ? current.description : body.description,
      includeDeferred: body.include_deferred ?? current.includeDeferred,
    });
    return toPoolJson(found(await getPool(db, name), 'POOL_NOT_FOUND', noPool(name)));
  });

  app.delete('/pools/:pool_name', { config: op, schema: { tags: ['pools'], summary: 'Delete a pool (not default_pool)', params: PoolParams, response: responses({ 204: NoContent }) } }, async (request, reply) => {
    found((await deletePool(db, request.params.pool_name)) ? true : null, 'POOL_NOT_FOUND', noPool(request.params.pool_name));
    return reply.code(204).send(null);
  });
};
