import { hostname } from 'node:os';
import type { UpdraftConfig } from '../config/index.ts';
import type { TaskInstanceState } from '../contracts/states.ts';
import type { TaskExecutionApi } from '../contracts/task-execution-api.ts';
import type { TaskWorkload } from '../contracts/workload.ts';
import { type SupervisorEvent } from './supervisor/events.ts';
import { runTaskTry } from './supervisor/run-task-try.ts';
import { TaskProcessPool } from './supervisor/task-process-pool.ts';

export interface LocalTaskRunner {
  runTry(workload: TaskWorkload): Promise<TaskInstanceState>;
  close(): Promise<void>;
}

export interface LocalTaskRunnerOptions {
  config: UpdraftConfig;
  api: TaskExecutionApi;
  /** Warm task processes to keep. */
  size: number;
  onEvent?: (event: SupervisorEvent) => void;
}

/** Supervised task processes on this host, configured from the [worker] and [logging] settings. */
export function createLocalTaskRunner(options: LocalTaskRunnerOptions): LocalTaskRunner {
  const { config } = options;
  const pool = new TaskProcessPool({
    size: options.size,
    recycleAfterTasks: config.worker.pool_recycle_tasks,
    recycleRssBytes: config.worker.pool_recycle_rss_mb * 1024 * 1024,
    extraIdleMs: config.executors.burst_idle_seconds * 1000,
    spawnWaitMs: config.executors.spawn_wait_seconds * 1000,
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
  });
  const host = hostname();
  return {
    runTry: (workload) =>
      runTaskTry(workload, options.api, pool, {
        logsFolder: config.logging.base_log_folder,
        heartbeatIntervalMs: 5_000,
        killGraceMs: config.worker.kill_grace_seconds * 1000,
        hostname: host,
        ...(options.onEvent ? { onEvent: options.onEvent } : {}),
      }),
    close: () => pool.close(),
  };
}
