import SwaggerParser from '@apidevtools/swagger-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES } from '../../src/auth/index.ts';
import { createApiHarness, type ApiHarness } from './support/api-harness.ts';
import { ENDPOINTS } from './support/endpoints.ts';

let h: ApiHarness;
let registered: { method: string; url: string }[] = [];
beforeAll(async () => {
  h = await createApiHarness();
  registered = documentedRoutes(h);
});
afterAll(() => h.close());

function documentedRoutes(harness: ApiHarness): { method: string; url: string }[] {
  const doc = harness.app.swagger() as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => ({ method: method.toUpperCase(), url: path })));
}


/** Full paths and methods from Fastify's printRoutes tree ("│   └── /:id (GET, HEAD)" lines, 4 characters a level). */
function routeTree(printed: string): { path: string; methods: string[] }[] {
  const stack: string[] = [];
  const routes: { path: string; methods: string[] }[] = [];
  for (const line of printed.split('\n')) {
    const match = /^([│ ]*)[├└]── (\S+) \(([^)]*)\)/.exec(line);
    if (match === null) continue;
    const depth = match[1]!.length / 4;
    stack.length = depth;
    stack.push(match[2]!);
    routes.push({ path: stack.join('').replace(/:(\w+)/g, '{$1}'), methods: match[3]!.split(', ') });
  }
  return routes;
}

describe('OpenAPI document', () => {
  it('is valid OpenAPI 3, served without auth, and names every endpoint of the access matrix', async () => {
    const response = await h.call(null, { method: 'GET', url: '/api/v1/openapi.json' });
    expect(response.statusCode).toBe(200);
    const doc = response.json();
    expect(doc.openapi).toMatch(/^3\./);
    await SwaggerParser.validate(structuredClone(doc));
    const documented = registered.map((route) => `${route.method} ${route.url}`).sort();
    expect(documented).toEqual(ENDPOINTS.map((endpoint) => `${endpoint.method} ${endpoint.path}`).sort());
    expect(doc.components.schemas.DagRun.properties.logical_date).toBeDefined();
  });

  it('every route Fastify knows under /api/v1 is in the document', async () => {
    const known = registered.map((route) => `${route.method} ${route.url}`);
    let checked = 0;
    for (const { path, methods } of routeTree(h.app.printRoutes({ commonPrefix: false }))) {
      if (!path.startsWith('/api/v1/') || path === '/api/v1/openapi.json') continue;
      for (const method of methods.filter((m) => m !== 'HEAD')) {
        expect(known, `${method} ${path}`).toContain(`${method} ${path}`);
        checked++;
      }
    }
    expect(checked).toBe(ENDPOINTS.length);
  });

  it('serves the docs page', async () => {
    const docs = await h.call(null, { method: 'GET', url: '/api/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toContain('swagger');
  });
});

describe('access matrix', () => {
  beforeAll(async () => {
    // Objects the endpoints act on.
    await h.call('User', { method: 'POST', url: '/api/v1/dags/tutorial/dagRuns', payload: { dag_run_id: 'r' } });
  });

  it.each(ENDPOINTS.filter((endpoint) => endpoint.minRole !== null))('$method $path: 401 anonymous, 403 below $minRole', async (endpoint) => {
    const request = { method: endpoint.method as 'GET', url: endpoint.url, ...(endpoint.payload === undefined ? {} : { payload: endpoint.payload }) };
    const anonymous = await h.call(null, request);
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().code).toBe('AUTH_REQUIRED');
    const rank = ROLES.indexOf(endpoint.minRole!);
    if (rank > 0) {
      const below = await h.call(ROLES[rank - 1]!, request);
      expect(below.statusCode).toBe(403);
      expect(below.json().code).toBe('AUTH_FORBIDDEN');
    }
  });

  it.each(ENDPOINTS.filter((endpoint) => endpoint.url !== '/api/v1/events'))('$method $path succeeds for its least role', async (endpoint) => {
    const role = endpoint.minRole ?? 'Viewer';
    const request = { method: endpoint.method as 'GET', url: endpoint.url, ...(endpoint.payload === undefined ? {} : { payload: endpoint.payload }) };
    const response = await h.call(role, request);
    // Reads of objects this table does not create (logs, XCom k) may be 404; never a refusal or a fault.
    expect([200, 201, 204, 404]).toContain(response.statusCode);
  });
});
