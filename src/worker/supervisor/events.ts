import type { ErrorCode } from '../../contracts/errors.ts';
import type { TaskInstanceState } from '../../contracts/states.ts';
import type { TaskTryKey } from '../../contracts/task-instance.ts';

/**
 * What the pool and the try supervisor report, for progress display and metrics. A closed union
 * so that consumers can switch over `type` exhaustively.
 */
export type SupervisorEvent =
  | { type: 'process_spawned'; pid: number; startupMs: number }
  | { type: 'process_spawn_failed'; error: string }
  | { type: 'process_recycled'; pid: number; reason: 'tasks' | 'rss'; tasksRun: number; rssBytes: number | null }
  /** A task process exited on its own: mid-try (`key` set) or while idle in the pool. */
  | { type: 'process_died'; pid: number; key: TaskTryKey | null; exitCode: number | null; signal: string | null }
  /** Bytes a task process wrote while no try owned its output (between tries, during startup). */
  | { type: 'stray_output'; pid: number; stream: 'stdout' | 'stderr'; text: string }
  | { type: 'try_started'; key: TaskTryKey; pid: number; reusedProcess: boolean }
  | { type: 'timeout'; key: TaskTryKey; pid: number; timeoutSeconds: number }
  | {
      type: 'try_finished';
      key: TaskTryKey;
      pid: number;
      state: TaskInstanceState;
      durationMs: number;
      /** Set when the try did not end in success. */
      errorCode: ErrorCode | null;
    };

export type SupervisorEventListener = (event: SupervisorEvent) => void;
