import type { TaskInstanceKey } from '../../contracts/task-instance.ts';
import type { DagRunKey } from './dag-runs.ts';
import type { Executor } from './executor.ts';
import { clearXComsForTask } from './xcom.ts';

export interface ClearedTaskInstance {
  taskId: string;
  mapIndex: number;
  /** The state before clearing. */
  previousState: string;
}

/**
 * Airflow's clear for some task instances of one run: finished and waiting TIs go back to `none`
 * with their retries granted again (max_tries = try_number + retries); running TIs become
 * `restarting`, which their supervisor notices at its next heartbeat. Their XComs are deleted so
 * that a downstream task never reads a stale value. Returns what was cleared.
 */
export async function clearTaskInstances(
  db: Executor,
  run: DagRunKey,
  tasks: readonly { taskId: string; retries: number }[],
): Promise<ClearedTaskInstance[]> {
  if (tasks.length === 0) return [];
  const retriesOf = new Map(tasks.map((task) => [task.taskId, task.retries]));
  const rows = await db
    .selectFrom('task_instance')
    .select(['task_id', 'map_index', 'state', 'try_number'])
    .where('dag_id', '=', run.dagId)
    .where('run_id', '=', run.runId)
    .where('task_id', 'in', [...retriesOf.keys()])
    .execute();
  const cleared: ClearedTaskInstance[] = [];
  for (const row of rows) {
    const key: TaskInstanceKey = { ...run, taskId: row.task_id, mapIndex: row.map_index };
    const running = row.state === 'running';
    await db
      .updateTable('task_instance')
      .set({
        state: running ? 'restarting' : 'none',
        max_tries: row.try_number + (retriesOf.get(row.task_id) ?? 0),
        next_attempt_at: null,
        queued_at: null,
        scheduled_at: null,
      })
      .where('dag_id', '=', run.dagId)
      .where('run_id', '=', run.runId)
      .where('task_id', '=', row.task_id)
      .where('map_index', '=', row.map_index)
      .where('state', '=', row.state)
      .execute();
    await clearXComsForTask(db, key);
    cleared.push({ taskId: row.task_id, mapIndex: row.map_index, previousState: row.state });
  }
  return cleared;
}

/** A cleared run goes back to `queued` so the scheduler picks it up again; clear_number counts clears. */
export async function requeueDagRun(db: Executor, run: DagRunKey, now: number): Promise<void> {
  await db
    .updateTable('dag_run')
    .set((eb) => ({ state: 'queued', queued_at: now, end_date: null, clear_number: eb('clear_number', '+', 1) }))
    .where('dag_id', '=', run.dagId)
    .where('run_id', '=', run.runId)
    .execute();
}
