import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { checkLogin, createApiToken, deleteApiToken, endSession, listApiTokens, startSession } from '../../auth/index.ts';
import { type ApiContext, principalOf } from '../api-context.ts';
import { SESSION_COOKIE } from '../auth-hook.ts';
import { iso, NoContent, responses } from '../schemas/common.ts';
import { found } from '../not-found.ts';
import { LoginBody, TokenBody, TokenNameParams, toUserJson } from '../schemas/auth.ts';

const DAY_MS = 86_400_000;

/** Login, logout, who am I, and API tokens for the caller. */
export const authRoutes: FastifyPluginAsyncTypebox<ApiContext> = async (app, context) => {
  const secureAlways = context.config.api.secure_cookies;

  app.post(
    '/auth/login',
    { config: { public: true }, schema: { tags: ['auth'], summary: 'Log in; sets the session cookie', body: LoginBody, response: responses({ 200: Type.Ref('Me') }) } },
    async (request, reply) => {
      const now = Date.now();
      const user = await checkLogin(context.store, context.throttle, request.body.username, request.body.password, now);
      const session = await startSession(context.store, user.username, now, context.config.api.session_ttl_minutes * 60_000);
      reply.setCookie(SESSION_COOKIE, session.sessionId, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: secureAlways || request.protocol === 'https',
        expires: new Date(session.expiresAt),
      });
      return { user: toUserJson(user), auth: 'session' as const, csrf_token: session.csrfToken };
    },
  );

  app.post(
    '/auth/logout',
    { config: { minRole: 'Viewer' }, schema: { tags: ['auth'], summary: 'End the session', response: responses({ 204: NoContent }) } },
    async (request, reply) => {
      const sessionId = request.cookies[SESSION_COOKIE];
      if (sessionId !== undefined) await endSession(context.store, sessionId);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.code(204).send(null);
    },
  );

  app.get('/auth/me', { schema: { tags: ['auth'], summary: 'The logged-in user and the CSRF token', response: responses({ 200: Type.Ref('Me') }) } }, async (request) => {
    const principal = principalOf(request);
    return { user: toUserJson(principal.user), auth: principal.via, csrf_token: principal.csrfToken };
  });

  app.post(
    '/auth/tokens',
    { config: { minRole: 'Viewer' }, schema: { tags: ['auth'], summary: 'Create an API bearer token for the caller', body: TokenBody, response: responses({ 201: Type.Ref('CreatedToken') }) } },
    async (request, reply) => {
      const now = Date.now();
      const expiresAt = request.body.expires_in_days === undefined ? null : now + request.body.expires_in_days * DAY_MS;
      const token = await createApiToken(context.store, { username: principalOf(request).user.username, name: request.body.name, expiresAt, now });
      return reply.code(201).send({ name: request.body.name, token, expires_at: expiresAt === null ? null : new Date(expiresAt).toISOString() });
    },
  );

  app.get('/auth/tokens', { schema: { tags: ['auth'], summary: "The caller's API tokens (without the secrets)", response: responses({ 200: Type.Ref('ApiTokenCollection') }) } }, async (request) => {
    const tokens = await listApiTokens(context.store.db, principalOf(request).user.username);
    return {
      tokens: tokens.map((token) => ({ name: token.name, created_at: new Date(token.createdAt).toISOString(), expires_at: iso(token.expiresAt), last_used_at: iso(token.lastUsedAt) })),
      total_entries: tokens.length,
    };
  });

  app.delete(
    '/auth/tokens/:name',
    { config: { minRole: 'Viewer' }, schema: { tags: ['auth'], summary: 'Revoke one of the caller\'s API tokens', params: TokenNameParams, response: responses({ 204: NoContent }) } },
    async (request, reply) => {
      const revoked = await deleteApiToken(context.store.db, principalOf(request).user.username, request.params.name);
      found(revoked ? true : null, 'TOKEN_NOT_FOUND', `You have no API token named "${request.params.name}"`);
      return reply.code(204).send(null);
    },
  );
};
