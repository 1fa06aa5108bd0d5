import { fileURLToPath } from 'node:url';
import { ensureStandaloneAdmin } from '../auth/index.ts';
import { buildApiServer } from '../api/server.ts';
import type { UpdraftConfig } from '../config/index.ts';
import { serializeError } from '../contracts/errors.ts';
import { DagProcessor, dagProcessorSettings } from '../dag-processor/index.ts';
import { createSchedulerWithExecutor } from '../scheduler/index.ts';
import { createNotifier, loadOrCreateSecretKey, migrate, openStore } from '../store/index.ts';

/** The built web UI, served by the API server when it exists (`npm run ui:build`). */
export const UI_DIST_DIR = fileURLToPath(new URL('../../ui/dist', import.meta.url));

export interface StandaloneOptions {
  config: UpdraftConfig;
  /** DAG folders to watch (the CLI passes the dags folder plus the examples when load_examples is on). */
  folders: string[];
  log: (line: string) => void;
}

export interface StandaloneHandle {
  url: string;
  /** Set the first time only: the generated password of the `admin` user. */
  adminPassword: string | null;
  /** Milliseconds from start to ready (UI served, DAG files parsed, scheduler looping). */
  startupMs: number;
  stop(): Promise<void>;
}

/**
 * Everything on one machine in one process (Airflow's `standalone`): the DAG processor, the scheduler
 * with a LocalExecutor, and the API server with the UI. Components talk through the store and
 * in-process wake-ups exactly as they do when run separately; nothing here is a shortcut.
 */
export async function startStandalone(options: StandaloneOptions): Promise<StandaloneHandle> {
  const started = performance.now();
  const { config, log } = options;
  const store = await openStore({ url: config.database.url, secretKey: loadOrCreateSecretKey(config.core.secret_key, config.home), poolSize: config.database.pool_size });
  await migrate(store.db, { defaultPoolSlots: config.core.default_pool_slots });
  const notifier = createNotifier(store, { url: config.database.url, onError: (error) => log(`notifier error: ${error.message}`) });
  const admin = await ensureStandaloneAdmin(store, config.home);
  let api: Awaited<ReturnType<typeof buildApiServer>> | undefined;

  const processor = new DagProcessor({
    store,
    folders: options.folders,
    notifier,
    ...dagProcessorSettings(config),
    onEvent: (event) => {
      if (event.type === 'error') log(`dag-processor error during ${event.during}: ${serializeError(event.error).message}`);
    },
  });
  const { scheduler } = createSchedulerWithExecutor({
    store,
    config,
    notifier,
    onEvent: (event) => {
      if (event.type === 'phase_failed') log(`scheduler ${event.phase} failed: ${serializeError(event.error).message}`);
    },
  });
  // The first parse runs in the processor's child processes, so the API server is built meanwhile.
  // The scheduler starts after both: its executor spawns warm task processes, which would only
  // compete for the CPU with that parse, and no task can run before its DAG is parsed anyway.
  const [url] = await Promise.all([startApi(), processor.start()]);
  await scheduler.start();
  const loop = scheduler.run();

  async function startApi(): Promise<string> {
    api = await buildApiServer({ store, config, uiDistDir: UI_DIST_DIR, notifier });
    return api.listen({ host: config.api.host, port: config.api.port });
  }

  return {
    // Bound to every interface, the server is reachable as localhost; say so rather than a LAN address.
    url: ['0.0.0.0', '::'].includes(config.api.host) ? `http://localhost:${new URL(url).port}` : url,
    adminPassword: admin.password ?? null,
    startupMs: performance.now() - started,
    async stop() {
      await api?.close();
      await processor.stop();
      await scheduler.stop({ graceful: true });
      await loop;
      await notifier.close();
      await store.close();
    },
  };
}
