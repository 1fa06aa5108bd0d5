import { taskLogPath } from '../contracts/log-path.ts';
import type { SerializedDag, SerializedTask } from '../contracts/serialized-dag.ts';
import type { TaskTryKey } from '../contracts/task-instance.ts';
import type { TaskWorkload } from '../contracts/workload.ts';

/** The workload for one try of `task`, as every executor receives it. */
export function buildWorkload(dag: SerializedDag, task: SerializedTask, key: TaskTryKey, versionHash: string, priorityWeight: number): TaskWorkload {
  return {
    kind: 'execute_task',
    key,
    dagFile: dag.fileloc,
    dagVersionHash: versionHash,
    logPath: taskLogPath(key),
    isolation: task.isolation,
    executionTimeoutSeconds: task.executionTimeoutSeconds,
    queue: task.queue,
    priorityWeight,
    retries: task.retries,
    retryDelaySeconds: task.retryDelaySeconds,
    retryExponentialBackoff: task.retryExponentialBackoff,
    maxRetryDelaySeconds: task.maxRetryDelaySeconds,
  };
}
