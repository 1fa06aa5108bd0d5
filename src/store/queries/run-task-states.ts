import type { TaskInstanceState } from '../../contracts/states.ts';
import { chunked, type Executor } from './executor.ts';

/** The few columns of a TI that state displays (grid, event stream) need. */
export interface TaskStateRow {
  dagRunId: number;
  dagId: string;
  runId: string;
  taskId: string;
  mapIndex: number;
  state: TaskInstanceState;
  tryNumber: number;
}

/**
 * The task states of many runs at once: one narrow query per DAG and 500 runs (no conf, no dates),
 * served by the task_instance primary key (dag_id, run_id, ...), so 1,000 runs x 50 tasks stays two
 * round trips.
 */
export async function listTaskStatesOfRuns(db: Executor, runs: readonly { id: number; dagId: string; runId: string }[]): Promise<TaskStateRow[]> {
  const byDag = new Map<string, Map<string, number>>();
  for (const run of runs) {
    const ids = byDag.get(run.dagId) ?? new Map<string, number>();
    ids.set(run.runId, run.id);
    byDag.set(run.dagId, ids);
  }
  const rows: TaskStateRow[] = [];
  for (const [dagId, idOf] of byDag) {
    for (const runIds of chunked([...idOf.keys()], 500)) {
      const chunk = await db
        .selectFrom('task_instance')
        .select(['run_id', 'task_id', 'map_index', 'state', 'try_number'])
        .where('dag_id', '=', dagId)
        .where('run_id', 'in', runIds)
        .execute();
      for (const row of chunk) {
        rows.push({
          dagRunId: idOf.get(row.run_id) ?? -1,
          dagId,
          runId: row.run_id,
          taskId: row.task_id,
          mapIndex: row.map_index,
          state: row.state as TaskInstanceState,
          tryNumber: row.try_number,
        });
      }
    }
  }
  return rows;
}

/** A run's identity and state, for change detection. */
export interface RunStateRow {
  id: number;
  dagId: string;
  runId: string;
  state: string;
}

/**
 * The runs whose state may have changed lately: every unfinished run plus the runs queued,
 * started or ended at or after `since`. Cheap on the (state, run_after) index and the small
 * unfinished set; what the event stream polls.
 */
export async function listRecentRunStates(db: Executor, since: number): Promise<RunStateRow[]> {
  const rows = await db
    .selectFrom('dag_run')
    .select(['id', 'dag_id', 'run_id', 'state'])
    .where((eb) =>
      eb.or([eb('state', 'in', ['queued', 'running']), eb('end_date', '>=', since), eb('queued_at', '>=', since), eb('start_date', '>=', since)]),
    )
    .execute();
  return rows.map((row) => ({ id: row.id, dagId: row.dag_id, runId: row.run_id, state: row.state }));
}

/** Every DAG's paused flag and version hash, for change detection. */
export async function listDagStates(db: Executor): Promise<{ dagId: string; isPaused: boolean; isActive: boolean; versionHash: string }[]> {
  const rows = await db.selectFrom('dag').select(['dag_id', 'is_paused', 'is_active', 'latest_version_hash']).execute();
  return rows.map((row) => ({ dagId: row.dag_id, isPaused: row.is_paused === 1, isActive: row.is_active === 1, versionHash: row.latest_version_hash }));
}

/** Import error files and their timestamps, for change detection. */
export async function listImportErrorStamps(db: Executor): Promise<{ filename: string; timestamp: number }[]> {
  return db.selectFrom('import_error').select(['filename', 'timestamp']).execute();
}
