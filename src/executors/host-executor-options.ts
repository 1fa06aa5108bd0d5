import type { UpdraftConfig } from '../config/index.ts';
import { UpdraftError } from '../contracts/errors.ts';
import type { TaskExecutionApi } from '../contracts/task-execution-api.ts';
import type { SupervisorEventListener } from '../worker/supervisor/index.ts';
import { defaultExecutorLogger, type ExecutorLogger } from './executor-logger.ts';
import type { SupervisedExecutorOptions } from './supervised-executor.ts';

/** What the executors that run tries on this host need. */
export interface HostExecutorOptions {
  config: UpdraftConfig;
  /** How supervisors record tries: the store directly on a trusted host. */
  api: TaskExecutionApi;
  /** Default: executors.warm_processes (-1: one per slot). */
  warmProcesses?: number;
  /** Pool and supervisor events (spawns, recycling, timeouts), for progress display and metrics. */
  onSupervisorEvent?: SupervisorEventListener;
  /** Default: pino on stderr at logging.level. */
  logger?: ExecutorLogger;
}

/** The SupervisedExecutor settings of a host executor named `name` with `parallelism` slots. */
export function supervisedExecutorOptions(name: string, parallelism: number, options: HostExecutorOptions): SupervisedExecutorOptions {
  const { config } = options;
  return {
    name,
    parallelism,
    warmProcesses: options.warmProcesses ?? warmProcessesSetting(config, parallelism),
    config,
    api: options.api,
    logger: options.logger ?? defaultExecutorLogger(name, config.logging.level),
    ...(options.onSupervisorEvent ? { onSupervisorEvent: options.onSupervisorEvent } : {}),
  };
}

function warmProcessesSetting(config: UpdraftConfig, parallelism: number): number {
  const setting = config.executors.warm_processes;
  if (setting === -1) return parallelism;
  if (!Number.isInteger(setting) || setting < -1) {
    throw new UpdraftError('CONFIG_INVALID', `executors.warm_processes must be -1 or a count of processes, not ${setting}`, {
      hint: 'Use -1 for one warm process per slot, 0 for none, or a number up to core.parallelism',
      details: { key: 'executors.warm_processes', value: setting },
    });
  }
  return setting;
}
