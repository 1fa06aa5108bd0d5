import type { SerializedError } from '../contracts/errors.ts';
import type { DagRunState, TaskInstanceState } from '../contracts/states.ts';
import type { TaskInstanceKey, TaskTryKey } from '../contracts/task-instance.ts';

/**
 * What the scheduler reports, for the CLI's log lines, metrics and tests. A closed union so that
 * consumers can switch over `type` exhaustively.
 */
export type SchedulerEvent =
  | { type: 'started'; jobId: number }
  | { type: 'run_created'; dagId: string; runId: string; state: Extract<DagRunState, 'queued' | 'running'> }
  | { type: 'run_started'; dagId: string; runId: string }
  | { type: 'run_finished'; dagId: string; runId: string; state: Extract<DagRunState, 'success' | 'failed'>; reason: 'tasks_done' | 'timeout' }
  | { type: 'ti_state_changed'; key: TaskInstanceKey; from: TaskInstanceState; to: TaskInstanceState }
  | { type: 'ti_queued'; key: TaskTryKey; executor: string }
  | { type: 'try_finished'; key: TaskTryKey; state: TaskInstanceState }
  /** A running try stopped heartbeating (its process or supervisor died) and was ended. */
  | { type: 'task_heartbeat_timeout'; key: TaskTryKey; state: 'up_for_retry' | 'failed'; silentSeconds: number }
  | { type: 'queued_ti_reset'; key: TaskInstanceKey; reason: 'queued_timeout' | 'dead_scheduler' | 'executor_refused' }
  | { type: 'dead_jobs_failed'; jobIds: number[] }
  /** Scheduled task instances name an executor this scheduler does not run; they stay scheduled. */
  | { type: 'executor_missing'; executor: string }
  /** Postgres: tables of a new database analyzed for the query planner (analyzeNewHistoryTables). */
  | { type: 'statistics_refreshed'; tables: string[] }
  | { type: 'phase_failed'; phase: SchedulerPhase; error: SerializedError }
  | { type: 'stopping'; graceful: boolean }
  | { type: 'stopped' };

export type SchedulerPhase = 'heartbeat' | 'liveness' | 'statistics' | 'create_runs' | 'schedule_runs' | 'queue_tasks';

export type SchedulerEventListener = (event: SchedulerEvent) => void;
