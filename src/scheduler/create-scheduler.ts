import type { UpdraftConfig } from '../config/index.ts';
import type { TaskExecutionApi } from '../contracts/task-execution-api.ts';
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
  let scheduler: Scheduler | null = null;
  const api = createSupervisorApi(store, config, () => scheduler);
  const executor = createExecutor(config.core.executor, { config, api });
  scheduler = new Scheduler({
    store,
    config,
    executors: [executor],
    ...(options.notifier === undefined ? {} : { notifier: options.notifier }),
    ...(options.onEvent === undefined ? {} : { onEvent: options.onEvent }),
  });
  return { scheduler, executor };
}

/**
 * How the supervisors of executors in a scheduler's process record tries: the store directly, and
 * on SQLite (unless scheduler.schedule_after_task_execution is off) the scheduler follows up the
 * ends they record in the same transaction (Scheduler.followUpTryEnds). The scheduler is created
 * after the executors it drives, so it is passed as a function; until it exists, ends are not
 * followed up. While few tries are in flight, their starts and ends are written at once rather than
 * at the end of their event-loop turn (Scheduler.fewTriesInFlight, ADR 0022).
 */
export function createSupervisorApi(store: Store, config: UpdraftConfig, scheduler: () => Scheduler | null): TaskExecutionApi {
  const xcomMaxBytes = config.core.xcom_max_size_bytes;
  const fewTriesInFlight = (): boolean => scheduler()?.fewTriesInFlight() ?? false;
  const followsUp = store.dialect === 'sqlite' && config.scheduler.schedule_after_task_execution;
  return createStoreTaskExecutionApi(store, {
    xcomMaxBytes,
    fewTriesInFlight,
    ...(followsUp ? { followUpEnds: (trx, ended) => scheduler()?.followUpTryEnds(trx, ended) ?? Promise.resolve(null) } : {}),
  });
}
