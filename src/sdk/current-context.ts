import { AsyncLocalStorage } from 'node:async_hooks';
import { UpdraftError } from '../contracts/errors.ts';
import type { TaskContext } from './task-context.ts';

const storage = new AsyncLocalStorage<TaskContext>();

/**
 * The context of the task that is running now (Airflow's `get_current_context()`), for code
 * that does not receive it as an argument, such as TaskFlow functions.
 */
export function getCurrentContext(): TaskContext {
  const context = storage.getStore();
  if (context === undefined) {
    throw new UpdraftError('NO_TASK_CONTEXT', 'getCurrentContext() was called outside a running task', {
      hint: 'Call it from inside a task (a TaskFlow function, execute() or a callback), not while the DAG is defined',
    });
  }
  return context;
}

/** Runs `fn` with `context` as the current context; used by the task runner. */
export function runWithContext<T>(context: TaskContext, fn: () => T): T {
  return storage.run(context, fn);
}
