import type { FastifyInstance, FastifyBaseLogger, RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression } from 'fastify';
import type {} from '@fastify/cookie';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { LoginThrottle, Role, User } from '../auth/index.ts';
import type { UpdraftConfig } from '../config/index.ts';
import type { Store } from '../store/index.ts';
import type { StateEventHub } from './events/state-event-hub.ts';

/** What every route plugin gets: the store, the configuration and the process-wide services. */
export interface ApiContext {
  store: Store;
  config: UpdraftConfig;
  throttle: LoginThrottle;
  events: StateEventHub;
  /**
   * Tells the scheduler (in this process, or others on Postgres) that a DAG has new work: a run was
   * triggered, cleared or re-marked, or the DAG was unpaused. A no-op without a notifier; never throws.
   */
  wakeScheduler(dagId: string): Promise<void>;
}

/** Who made a request, and how: a browser session (which needs CSRF on writes) or a bearer token. */
export interface Principal {
  user: User;
  via: 'session' | 'token';
  csrfToken: string | null;
}

export type ApiApp = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, TypeBoxTypeProvider>;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Least role allowed to call the route. Default: Viewer for GET, Admin for any write (safe when forgotten). */
    minRole?: Role;
    /** No authentication at all (health, login, the OpenAPI document). */
    public?: boolean;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}

/** The authenticated caller of a route that is not public (the auth hook guarantees one). */
export function principalOf(request: { principal: Principal | null }): Principal {
  if (request.principal === null) throw new Error('principalOf called on a public route');
  return request.principal;
}
