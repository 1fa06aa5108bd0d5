import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { createUser, listUsers, removeUser } from '../../auth/index.ts';
import type { ApiContext } from '../api-context.ts';
import { NoContent, responses } from '../schemas/common.ts';
import { CreateUserBody, toUserJson, UsernameParams } from '../schemas/auth.ts';

/** User management: Admin only. */
export const userRoutes: FastifyPluginAsyncTypebox<ApiContext> = async (app, context) => {
  const admin = { minRole: 'Admin' as const };

  app.get('/users', { config: admin, schema: { tags: ['users'], summary: 'List users', response: responses({ 200: Type.Ref('UserCollection') }) } }, async () => {
    const users = await listUsers(context.store.db);
    return { users: users.map(toUserJson), total_entries: users.length };
  });

  app.post(
    '/users',
    { config: admin, schema: { tags: ['users'], summary: 'Create a user', body: CreateUserBody, response: responses({ 201: Type.Ref('User') }) } },
    async (request, reply) => {
      const { body } = request;
      const user = await createUser(context.store, {
        username: body.username,
        password: body.password,
        role: body.role,
        firstName: body.first_name ?? '',
        lastName: body.last_name ?? '',
        email: body.email ?? '',
        now: Date.now(),
      });
      return reply.code(201).send(toUserJson(user));
    },
  );

  app.delete(
    '/users/:username',
    { config: admin, schema: { tags: ['users'], summary: 'Delete a user with their sessions and tokens', params: UsernameParams, response: responses({ 204: NoContent }) } },
    async (request, reply) => {
      await removeUser(context.store, request.params.username);
      return reply.code(204).send(null);
    },
  );
};
