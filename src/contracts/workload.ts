import type { TaskTryKey } from './task-instance.ts';

/**
 * What an executor hands to a worker to run one task try. It is plain JSON so that it can travel
 * over a queue or into a pod spec unchanged.
 */
export interface TaskWorkload {
  kind: 'execute_task';
  key: TaskTryKey;
  /** Absolute path of the DAG file to import in the task process. */
  dagFile: string;
  /** Content hash of the serialized DAG version the scheduler decided on. */
  dagVersionHash: string;
  /** Where this try's log goes, relative to the configured logs folder. */
  logPath: string;
  isolation: 'pool' | 'process';
  executionTimeoutSeconds: number | null;
  queue: string;
  priorityWeight: number;
}
