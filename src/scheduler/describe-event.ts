import type { TaskInstanceKey } from '../contracts/task-instance.ts';
import type { SchedulerEvent } from './scheduler-events.ts';

/** One log line for an event, or null for events too chatty to print by default. */
export function describeSchedulerEvent(event: SchedulerEvent): string | null {
  switch (event.type) {
    case 'started':
      return `scheduler started (job ${event.jobId})`;
    case 'run_created':
      return `created run ${event.dagId}/${event.runId} (${event.state})`;
    case 'run_started':
      return `started run ${event.dagId}/${event.runId}`;
    case 'run_finished':
      return `run ${event.dagId}/${event.runId} finished: ${event.state}${event.reason === 'timeout' ? ' (dagrun timeout)' : ''}`;
    case 'ti_state_changed':
      return event.to === 'scheduled' ? null : `${describeTi(event.key)}: ${event.from} -> ${event.to}`;
    case 'ti_queued':
      return `queued ${describeTi(event.key)} try ${event.key.tryNumber} on ${event.executor}`;
    case 'try_finished':
      return `${describeTi(event.key)} try ${event.key.tryNumber} finished: ${event.state}`;
    case 'task_heartbeat_timeout':
      return `${describeTi(event.key)} try ${event.key.tryNumber}: no heartbeat for ${event.silentSeconds} s -> ${event.state}`;
    case 'queued_ti_reset':
      return `${describeTi(event.key)}: queued -> scheduled (${event.reason.replaceAll('_', ' ')})`;
    case 'dead_jobs_failed':
      return `marked dead scheduler job(s) ${event.jobIds.join(', ')} as failed`;
    case 'executor_missing':
      return `tasks ask for executor ${event.executor}, which this scheduler does not run; they stay scheduled`;
    case 'statistics_refreshed':
      return `analyzed ${event.tables.join(', ')} for the query planner (a new database)`;
    case 'phase_failed':
      return `phase ${event.phase} failed: ${event.error.code}: ${event.error.message}`;
    case 'stopping':
      return event.graceful ? 'stopping: waiting for running tasks to finish' : 'stopping now';
    case 'stopped':
      return 'scheduler stopped';
  }
}

function describeTi(key: TaskInstanceKey): string {
  return `${key.dagId}/${key.runId}/${key.taskId}${key.mapIndex >= 0 ? `[${key.mapIndex}]` : ''}`;
}
