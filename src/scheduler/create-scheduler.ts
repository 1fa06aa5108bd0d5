import type { UpdraftConfig } from '../config/index.ts';
import type { Executor } from '../executors/executor.ts';
import { createExecutor } from '../executors/index.ts';
import { createStoreTaskExecutionApi, type Notifier, type Store } from '../store/index.ts';
import { Scheduler } from './scheduler.ts';
import type { SchedulerEventListener } from './scheduler-events.ts';

/**
 * A scheduler with the configured executor (core.executor) running tries on this host, its
 * supervisors writing to the store directly: what `updraft scheduler` and `standalone` run.
 */
export function createSchedulerWithExecutor(options: { store: Store; config: UpdraftConfig; notifier?: Notifier; onEvent?: SchedulerEventListener }): {
  scheduler: Scheduler;
  executor: Executor;
} {
  const { store, config } = options;
  const api = createStoreTaskExecutionApi(store, { xcomMaxBytes: config.core.xcom_max_size_bytes });
  const executor = createExecutor(config.core.executor, { config, api });
  const scheduler = new Scheduler({
    store,
    config,
    executors: [executor],
    ...(options.notifier === undefined ? {} : { notifier: options.notifier }),
    ...(options.onEvent === undefined ? {} : { onEvent: options.onEvent }),
  });
  return { scheduler, executor };
}
