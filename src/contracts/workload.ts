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
  /**
   * `render` renders and reports the template fields without executing the task
   * (`updraft tasks render`). Absent means `execute`.
   */
  mode?: 'execute' | 'render';
  executionTimeoutSeconds: number | null;
  queue: string;
  priorityWeight: number;
  /**
   * The task's retry settings (same names and meaning as on SerializedTask). The supervisor needs
   * them to decide retry vs fail for failures it detects itself (timeout, task process death).
   */
  retries: number;
  retryDelaySeconds: number;
  retryExponentialBackoff: boolean;
  maxRetryDelaySeconds: number | null;
}
