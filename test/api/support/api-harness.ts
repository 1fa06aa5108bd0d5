import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import type { ApiApp } from '../../../src/api/api-context.ts';
import { buildApiServer } from '../../../src/api/server.ts';
import { createApiToken, createUser, ROLES, type Role } from '../../../src/auth/index.ts';
import { loadConfig, type UpdraftConfig } from '../../../src/config/index.ts';
import { parseDagFoldersIntoStore } from '../../../src/dag-processor/parse-dag-folders.ts';
import { createNotifier, type DialectName, type Notifier, type Store } from '../../../src/store/index.ts';
import { createTestStore } from '../../support/databases.ts';

export const FIXTURE_DAGS = join(import.meta.dirname, '..', '..', 'fixtures', 'dags');
export const PASSWORD = 'correct horse battery';

/** An API server on its own database and home folder, with one user (and bearer token) per role. */
export interface ApiHarness {
  app: ApiApp;
  store: Store;
  config: UpdraftConfig;
  home: string;
  /** The notifier the server was built with (same URL: listeners here hear the server's wake-ups). */
  notifier: Notifier;
  /** Authorization headers of the user named after each role (`viewer`, `user`, `op`, `admin`). */
  tokens: Record<Role, string>;
  as(role: Role): { authorization: string };
  /** inject() as a role (or anonymously with role null). */
  call(role: Role | null, options: InjectOptions): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export async function createApiHarness(options: { dialect?: DialectName; dagFiles?: string[]; uiDistDir?: string } = {}): Promise<ApiHarness> {
  const home = mkdtempSync(join(tmpdir(), 'updraft-api-'));
  const store = await createTestStore(options.dialect ?? 'sqlite');
  const config = loadConfig({ env: { UPDRAFT_HOME: home, UPDRAFT__LOGGING__LEVEL: 'silent', UPDRAFT__API__EVENTS_POLL_MS: '50' } });
  const files = options.dagFiles ?? [join(FIXTURE_DAGS, 'tutorial.ts'), join(FIXTURE_DAGS, 'two-dags.ts')];
  if (files.length > 0) await parseDagFoldersIntoStore(store, { folders: [], files, timeoutSeconds: 30, pausedAtCreation: true });
  const tokens = {} as Record<Role, string>;
  const now = Date.now();
  for (const role of ROLES) {
    const username = role.toLowerCase();
    await createUser(store, { username, password: PASSWORD, role, now });
    tokens[role] = await createApiToken(store, { username, name: 'test', expiresAt: null, now });
  }
  const notifier = createNotifier(store, { url: store.url });
  const app = await buildApiServer({ store, config, notifier, ...(options.uiDistDir === undefined ? {} : { uiDistDir: options.uiDistDir }) });
  await app.ready();
  const as = (role: Role) => ({ authorization: `Bearer ${tokens[role]}` });
  return {
    app,
    store,
    config,
    home,
    notifier,
    tokens,
    as,
    call: (role, request) => app.inject({ ...request, headers: { ...(role === null ? {} : as(role)), ...request.headers } }),
    close: async () => {
      await app.close();
      await notifier.close();
      await store.drop();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** The parsed problem document of an error response. */
export function problemOf(response: LightMyRequestResponse): { status: number; code: string; field?: string; detail: string } {
  return response.json();
}
