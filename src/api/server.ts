import cookie from '@fastify/cookie';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import { existsSync } from 'node:fs';
import { LoginThrottle } from '../auth/index.ts';
import type { UpdraftConfig } from '../config/index.ts';
import type { Store } from '../store/index.ts';
import type { ApiApp, ApiContext } from './api-context.ts';
import { installAuthHook } from './auth-hook.ts';
import { StateEventHub } from './events/state-event-hub.ts';
import { registerOpenApi } from './openapi.ts';
import { installProblemHandlers } from './problem.ts';
import { authRoutes } from './routes/auth.ts';
import { connectionRoutes } from './routes/connections.ts';
import { dagRunRoutes } from './routes/dag-runs.ts';
import { dagRoutes } from './routes/dags.ts';
import { eventRoutes } from './routes/events.ts';
import { gridRoutes } from './routes/grid.ts';
import { logRoutes } from './routes/logs.ts';
import { monitoringRoutes } from './routes/monitoring.ts';
import { poolRoutes } from './routes/pools.ts';
import { taskInstanceRoutes } from './routes/task-instances.ts';
import { userRoutes } from './routes/users.ts';
import { variableRoutes } from './routes/variables.ts';
import { xcomRoutes } from './routes/xcom.ts';
import { authSchemas } from './schemas/auth.ts';
import { Problem } from './schemas/common.ts';
import { configObjectSchemas } from './schemas/config-objects.ts';
import { dagRunSchemas } from './schemas/dag-runs.ts';
import { dagSchemas } from './schemas/dags.ts';
import { monitoringSchemas } from './schemas/monitoring.ts';
import { taskInstanceSchemas } from './schemas/task-instances.ts';
import { serveUi } from './ui-static.ts';
import { UPDRAFT_VERSION } from './version.ts';

export interface BuildApiServerOptions {
  store: Store;
  config: UpdraftConfig;
  /** A pino-compatible logger; default: Fastify's own at config.logging.level. */
  logger?: FastifyBaseLogger;
  /** The built web UI (ui/dist); served at `/` when the folder exists. */
  uiDistDir?: string;
}

const ROUTES = [authRoutes, userRoutes, dagRoutes, gridRoutes, dagRunRoutes, taskInstanceRoutes, logRoutes, xcomRoutes, variableRoutes, connectionRoutes, poolRoutes, monitoringRoutes, eventRoutes];
const SHARED_SCHEMAS = [Problem, ...authSchemas, ...dagSchemas, ...dagRunSchemas, ...taskInstanceSchemas, ...configObjectSchemas, ...monitoringSchemas];

/** The REST API under /api/v1 (plus its OpenAPI document, docs page and, when built, the UI), ready to listen or inject. */
export async function buildApiServer(options: BuildApiServerOptions): Promise<ApiApp> {
  const { store, config } = options;
  const app: ApiApp = Fastify({
    ...(options.logger === undefined ? { logger: { level: config.logging.level } } : { loggerInstance: options.logger }),
    bodyLimit: config.api.max_body_bytes,
    routerOptions: { maxParamLength: 2_000, ignoreDuplicateSlashes: true },
    // Unknown body fields are a 400 (they are usually typos), not silently dropped.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  const context: ApiContext = {
    store,
    config,
    throttle: new LoginThrottle(),
    events: new StateEventHub(store, { pollMs: config.api.events_poll_ms, log: app.log }),
  };
  app.addHook('onClose', async () => context.events.close());

  for (const schema of SHARED_SCHEMAS) app.addSchema(schema);
  installProblemHandlers(app);
  await app.register(cookie);
  installAuthHook(app, context);
  await registerOpenApi(app, UPDRAFT_VERSION);
  for (const routes of ROUTES) await app.register(routes, { ...context, prefix: '/api/v1' });
  if (options.uiDistDir !== undefined && existsSync(options.uiDistDir)) serveUi(app, options.uiDistDir);
  return app;
}
