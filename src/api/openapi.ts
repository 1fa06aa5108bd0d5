import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { ApiApp } from './api-context.ts';
import { CSRF_HEADER, SESSION_COOKIE } from './auth-hook.ts';

export const OPENAPI_PATH = '/api/v1/openapi.json';
export const DOCS_PATH = '/api/docs';

/**
 * The OpenAPI 3 document, generated from the route schemas (never written by hand): served at
 * /api/v1/openapi.json, browsable at /api/docs. Shared schemas become named components.
 */
export async function registerOpenApi(app: ApiApp, version: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Updraft REST API',
        version,
        description: `Errors are RFC 9457 problem documents (application/problem+json) with a stable \`code\`. Authenticate with the session cookie \`${SESSION_COOKIE}\` from POST /api/v1/auth/login (writes then need the ${CSRF_HEADER} header) or with \`Authorization: Bearer <token>\`.`,
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, index) => (typeof json.$id === 'string' ? json.$id : `def-${index}`) },
  });
  await app.register(swaggerUi, { routePrefix: DOCS_PATH, uiConfig: { docExpansion: 'list', deepLinking: true } });
  app.get(OPENAPI_PATH, { config: { public: true }, schema: { hide: true } }, async () => app.swagger());
}
