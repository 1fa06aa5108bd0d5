import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig, type UpdraftConfig } from '../../../src/config/index.ts';
import type { JsonObject } from '../../../src/contracts/json.ts';
import { parseDagFoldersIntoStore } from '../../../src/dag-processor/parse-dag-folders.ts';
import { createExecutor, type Executor } from '../../../src/executors/index.ts';
import { triggerDagRun } from '../../../src/operations/trigger-dag-run.ts';
import { createSupervisorApi, Scheduler, type SchedulerEvent } from '../../../src/scheduler/index.ts';
import { getDagRun, listTaskInstances, type DagRun, type DialectName, type Store, type TaskInstance } from '../../../src/store/index.ts';
import type { SupervisorEvent } from '../../../src/worker/supervisor/index.ts';
import { createTestStore } from '../../support/databases.ts';

export const SCHEDULER_DAGS = fileURLToPath(new URL('../../fixtures/dags-scheduler', import.meta.url));

export interface HarnessOptions {
  dialect: DialectName;
  /** Parse these DAG files (absolute paths) into the store. */
  files?: string[];
  /** Extra UPDRAFT__* settings. */
  env?: Record<string, string>;
  /** A LocalExecutor with real supervised task processes; false: no executor (decisions only). */
  executor?: boolean;
  now?: () => number;
  /** Called with each scheduler event as it is emitted, before it is recorded. */
  onEvent?: (event: SchedulerEvent) => void;
}

/**
 * An isolated scheduler for one test: its own home, database, parsed DAG files, a real
 * LocalExecutor (warm task processes), and every scheduler and supervisor event recorded.
 */
export interface SchedulerHarness {
  store: Store & { url: string };
  config: UpdraftConfig;
  scheduler: Scheduler;
  executor: Executor | null;
  events: SchedulerEvent[];
  supervisorEvents: SupervisorEvent[];
  trigger(dagId: string, options?: { logicalDate?: number; conf?: JsonObject }): Promise<DagRun>;
  /** Iterates (waking on executor events) until `done` holds; fails after `timeoutMs`. */
  runUntil(done: () => Promise<boolean>, timeoutMs?: number): Promise<void>;
  runFinished(run: DagRun): () => Promise<boolean>;
  tis(run: DagRun): Promise<Map<string, TaskInstance>>;
  close(): Promise<void>;
}

export async function createSchedulerHarness(options: HarnessOptions): Promise<SchedulerHarness> {
  const home = mkdtempSync(join(tmpdir(), 'updraft-scheduler-'));
  const store = await createTestStore(options.dialect);
  const config = loadConfig({
    env: { UPDRAFT_HOME: home, UPDRAFT__DATABASE__URL: store.url, UPDRAFT__CORE__PARALLELISM: '4', UPDRAFT__EXECUTORS__WARM_PROCESSES: '2', ...options.env },
  });
  if (options.files !== undefined && options.files.length > 0) {
    await parseDagFoldersIntoStore(store, { folders: [], files: options.files, timeoutSeconds: 30, pausedAtCreation: false });
  }
  const supervisorEvents: SupervisorEvent[] = [];
  // As createSchedulerWithExecutor wires them: on SQLite, the scheduler follows up try ends.
  let followingScheduler: Scheduler | null = null;
  const api = createSupervisorApi(store, config, () => followingScheduler);
  const executor = options.executor === false ? null : createExecutor('LocalExecutor', { config, api, onSupervisorEvent: (event) => supervisorEvents.push(event) });
  const events: SchedulerEvent[] = [];
  const now = options.now ?? Date.now;
  const scheduler = new Scheduler({ store, config, executors: executor === null ? [] : [executor], now,
    onEvent: (event) => {
      options.onEvent?.(event);
      events.push(event);
    },
  });
  followingScheduler = scheduler;
  await scheduler.start();

  const harness: SchedulerHarness = {
    store,
    config,
    scheduler,
    executor,
    events,
    supervisorEvents,
    trigger: (dagId, trigger = {}) =>
      triggerDagRun(store, {
        dagId,
        runId: `manual__${randomBytes(4).toString('hex')}`,
        triggeredBy: 'test',
        now: now(),
        ...(trigger.logicalDate === undefined ? {} : { logicalDate: trigger.logicalDate }),
        ...(trigger.conf === undefined ? {} : { conf: trigger.conf }),
      }),
    async runUntil(done, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        await scheduler.iterate();
        if (await done()) return;
        if (Date.now() > deadline) {
          const failures = events.filter((event) => event.type === 'phase_failed');
          throw new Error(`condition not reached in ${timeoutMs} ms; phase failures: ${JSON.stringify(failures)}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    runFinished: (run) => async () => {
      const current = await getDagRun(store.db, run);
      return current?.state === 'success' || current?.state === 'failed';
    },
    tis: async (run) => new Map((await listTaskInstances(store.db, run)).map((ti) => [ti.taskId, ti])),
    async close() {
      await scheduler.stop({ graceful: false });
      await store.drop();
      rmSync(home, { recursive: true, force: true });
    },
  };
  return harness;
}

export function dagFile(name: string): string {
  return join(SCHEDULER_DAGS, name);
}
