import cookie from '@fastify/cookie';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { LogController, type FastifyBaseLogger } from 'fastify';
import { existsSync } from 'node:fs';
import { LoginThrottle } from '../auth/index.ts';
import type { UpdraftConfig } from '../config/index.ts';
import type { Notifier, Store } from '../store/index.ts';
import type { ApiApp, ApiContext } from './api-context.ts';
import { installAuthHook } from './auth-hook.ts';
import { lazySerializerFactory } from './lazy-serializers.ts';
import { StateEventHub } from './events/state-event-hub.ts';
import { DOCS_PATH, registerOpenApi } from './openapi.ts';
import { frameworkErrorHandler, installProblemHandlers } from './problem.ts';
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
import { installValidators } from './validators.ts';
import { UPDRAFT_VERSION } from './version.ts';

export interface BuildApiServerOptions {
  store: Store;
  config: UpdraftConfig;
  /** A pino-compatible logger; default: Fastify's own at config.logging.level. */
  logger?: FastifyBaseLogger;
  /** The built web UI (ui/dist); served at `/` when the folder exists. */
  uiDistDir?: string;
  /** Wake-ups: the API wakes the scheduler after writes and refreshes the event stream at once on notifications. */
  notifier?: Notifier;
}

const ROUTES = [authRoutes, userRoutes, dagRoutes, gridRoutes, dagRunRoutes, taskInstanceRoutes, logRoutes, xcomRoutes, variableRoutes, connectionRoutes, poolRoutes, monitoringRoutes, eventRoutes];
const SHARED_SCHEMAS = [Problem, ...authSchemas, ...dagSchemas, ...dagRunSchemas, ...taskInstanceSchemas, ...configObjectSchemas, ...monitoringSchemas];

/** The REST API under /api/v1 (plus its OpenAPI document, docs page and, when built, the UI), ready to listen or inject. */
export async function buildApiServer(options: BuildApiServerOptions): Promise<ApiApp> {
  const { store, config } = options;
  const app: ApiApp = Fastify({
    ...(options.logger === undefined ? { logger: { level: config.logging.level } } : { loggerInstance: options.logger }),
    bodyLimit: config.api.max_body_bytes,
    // One line per request floods a terminal (the UI polls and streams); keep them for debug level.
    logController: new LogController({ disableRequestLogging: config.logging.level !== 'debug' && config.logging.level !== 'trace' }),
    routerOptions: { maxParamLength: 2_000, ignoreDuplicateSlashes: true },
    frameworkErrors: frameworkErrorHandler,
    schemaController: { compilersFactory: { buildSerializer: lazySerializerFactory() } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  const context: ApiContext = {
    store,
    config,
    throttle: new LoginThrottle(),
    events: new StateEventHub(store, { pollMs: config.api.events_poll_ms, log: app.log, ...(options.notifier === undefined ? {} : { notifier: options.notifier }) }),
    wakeScheduler: async (dagId) => {
      try {
        await options.notifier?.notify('run_triggered', dagId);
      } catch (error) {
        // The scheduler's periodic loop picks the work up anyway; a lost wake-up only costs latency.
        app.log.warn({ err: error }, 'could not notify the scheduler');
      }
    },
  };
  app.addHook('onClose', async () => context.events.close());

  for (const schema of SHARED_SCHEMAS) app.addSchema(schema);
  installValidators(app);
  installProblemHandlers(app);
  await app.register(cookie);
  // The docs page is static HTML over the (public) OpenAPI document.
  installAuthHook(app, context, { publicPrefixes: [DOCS_PATH] });
  await registerOpenApi(app, UPDRAFT_VERSION);
  for (const routes of ROUTES) await app.register(routes, { ...context, prefix: '/api/v1' });
  if (options.uiDistDir !== undefined && existsSync(options.uiDistDir)) serveUi(app, options.uiDistDir);
  return app;
}
