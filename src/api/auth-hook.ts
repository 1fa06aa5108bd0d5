import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { UpdraftError } from '../contracts/errors.ts';
import { getUser, resolveApiToken, resolveSession, roleAtLeast, type Role } from '../auth/index.ts';
import type { ApiApp, ApiContext, Principal } from './api-context.ts';

export const SESSION_COOKIE = 'updraft_session';
export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Authenticates every request to a non-public route (bearer token first, then the session cookie),
 * enforces CSRF on cookie-authenticated writes and checks the route's least role. Runs before the
 * body is parsed, so an anonymous caller learns nothing from validation errors.
 */
export function installAuthHook(app: ApiApp, context: ApiContext, options: { publicPrefixes: string[] }): void {
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request) => {
    const config = request.routeOptions.config;
    const url = request.routeOptions.url ?? '';
    if (request.is404 || config.public === true || options.publicPrefixes.some((prefix) => url.startsWith(prefix))) return;
    const principal = await authenticate(context, request);
    if (principal === null) {
      throw new UpdraftError('AUTH_REQUIRED', 'Log in or send an API token', {
        hint: 'POST /api/v1/auth/login, or send "Authorization: Bearer <token>"',
      });
    }
    if (principal.via === 'session' && !SAFE_METHODS.has(request.method) && !csrfMatches(request, principal.csrfToken)) {
      throw new UpdraftError('AUTH_CSRF_FAILED', `A ${request.method} with a session cookie must carry the session's CSRF token`, {
        hint: `Send the csrf_token from /api/v1/auth/me in the ${CSRF_HEADER} header`,
      });
    }
    const required: Role = config.minRole ?? (SAFE_METHODS.has(request.method) ? 'Viewer' : 'Admin');
    if (!roleAtLeast(principal.user.role, required)) {
      throw new UpdraftError('AUTH_FORBIDDEN', `Role ${principal.user.role} may not ${request.method} ${request.routeOptions.url ?? request.url}; it needs ${required}`, {
        hint: 'Ask an Admin for a stronger role',
      });
    }
    request.principal = principal;
  });
}

async function authenticate(context: ApiContext, request: FastifyRequest): Promise<Principal | null> {
  const now = Date.now();
  const authorization = request.headers.authorization;
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    const user = match?.[1] === undefined ? null : await resolveApiToken(context.store, match[1], now);
    return user === null ? null : { user, via: 'token', csrfToken: null };
  }
  const sessionId = request.cookies[SESSION_COOKIE];
  if (sessionId === undefined || sessionId === '' || sessionId.length > 200) return null;
  const session = await resolveSession(context.store, sessionId, now);
  if (session === null) return null;
  const user = await getUser(context.store.db, session.username);
  return user === null ? null : { user, via: 'session', csrfToken: session.csrfToken };
}

function csrfMatches(request: FastifyRequest, expected: string | null): boolean {
  const sent = request.headers[CSRF_HEADER];
  if (expected === null || typeof sent !== 'string') return false;
  const a = Buffer.from(sent);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
