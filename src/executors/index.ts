/**
 * Executors: what runs the tries the scheduler queues. One interface (executor.ts), each
 * implementation passing test/executors/conformance.ts. Tasks choose one by name
 * (`executor: 'LocalExecutor'`); core.executor names the default.
 */
import { UpdraftError } from '../contracts/errors.ts';
import type { Executor } from './executor.ts';
import type { HostExecutorOptions } from './host-executor-options.ts';
import { LocalExecutor } from './local-executor.ts';
import { SequentialExecutor } from './sequential-executor.ts';

export type { Executor, ExecutorEvent, ExecutorEventListener } from './executor.ts';
export type { ExecutorLogger } from './executor-logger.ts';
export type { HostExecutorOptions } from './host-executor-options.ts';
export { LocalExecutor, type LocalExecutorOptions } from './local-executor.ts';
export { SequentialExecutor } from './sequential-executor.ts';

/** The executors createExecutor knows, by the name tasks and core.executor use. */
export const EXECUTOR_NAMES = ['SequentialExecutor', 'LocalExecutor'] as const;
export type ExecutorName = (typeof EXECUTOR_NAMES)[number];

export type CreateExecutorOptions = HostExecutorOptions;

const FACTORIES: Record<ExecutorName, (options: CreateExecutorOptions) => Executor> = {
  SequentialExecutor: (options) => new SequentialExecutor(options),
  LocalExecutor: (options) => new LocalExecutor(options),
};

export function isExecutorName(name: string): name is ExecutorName {
  return (EXECUTOR_NAMES as readonly string[]).includes(name);
}

/** The executor called `name`, configured from `options.config`; not started yet. */
export function createExecutor(name: string, options: CreateExecutorOptions): Executor {
  if (!isExecutorName(name)) {
    throw new UpdraftError('CONFIG_INVALID', `Unknown executor "${name}"`, {
      hint: `Use one of: ${EXECUTOR_NAMES.join(', ')} (in core.executor or a task's executor option)`,
      details: { executor: name, known: [...EXECUTOR_NAMES] },
    });
  }
  return FACTORIES[name](options);
}
