import { supervisedExecutorOptions, type HostExecutorOptions } from './host-executor-options.ts';
import { SupervisedExecutor } from './supervised-executor.ts';

export interface LocalExecutorOptions extends HostExecutorOptions {
  /** Tries that run at once. Default: core.parallelism. */
  parallelism?: number;
}

/**
 * Airflow's LocalExecutor: `parallelism` tries at once on this host, each in a warm task process
 * (recycled after worker.pool_recycle_tasks tasks or above worker.pool_recycle_rss_mb), or in a
 * fresh process of its own when the task asks for `isolation: 'process'`.
 */
export class LocalExecutor extends SupervisedExecutor {
  constructor(options: LocalExecutorOptions) {
    super(supervisedExecutorOptions('LocalExecutor', options.parallelism ?? options.config.core.parallelism, options));
  }
}
