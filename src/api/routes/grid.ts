import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { TASK_INSTANCE_STATES } from '../../contracts/states.ts';
import { getDag, getLatestSerializedDag, listDagRuns } from '../../store/index.ts';
import { listTaskStatesOfRuns, type TaskStateRow } from '../../store/queries/run-task-states.ts';
import type { ApiContext } from '../api-context.ts';
import { found } from '../not-found.ts';
import { iso, ListPage, responses } from '../schemas/common.ts';
import { DagIdParams } from '../schemas/dags.ts';

const STATE_CODE = new Map<string, number>(TASK_INSTANCE_STATES.map((state, code) => [state, code]));

/**
 * The grid view's data in a compact form: the task ids once, then per run (newest first) one state
 * code per task id. Two narrow queries whatever the number of runs. A mapped task shows the state
 * of its lowest map index.
 */
export const gridRoutes: FastifyPluginAsyncTypebox<ApiContext> = async (app, context) => {
  const { db } = context.store;

  app.get('/dags/:dag_id/grid', { schema: { tags: ['dags'], summary: 'Runs x tasks state grid for the UI', params: DagIdParams, querystring: ListPage, response: responses({ 200: Type.Ref('Grid') }) } }, async (request) => {
    const dagId = request.params.dag_id;
    found(await getDag(db, dagId), 'DAG_NOT_FOUND', `No DAG "${dagId}"`);
    const [latest, page] = await Promise.all([getLatestSerializedDag(db, dagId), listDagRuns(db, { dagId, limit: request.query.limit, offset: request.query.offset })]);
    const rows = await listTaskStatesOfRuns(db, page.runs);
    const taskIds = orderedTaskIds(latest?.dag.tasks.map((task) => task.taskId) ?? [], rows);
    const column = new Map(taskIds.map((taskId, index) => [taskId, index]));
    const byRun = new Map<number, { codes: number[]; mapIndex: number[] }>();
    for (const row of rows) {
      let cells = byRun.get(row.dagRunId);
      if (cells === undefined) {
        cells = { codes: new Array<number>(taskIds.length).fill(-1), mapIndex: new Array<number>(taskIds.length).fill(Number.MAX_SAFE_INTEGER) };
        byRun.set(row.dagRunId, cells);
      }
      const index = column.get(row.taskId) ?? -1;
      if (index < 0 || row.mapIndex >= (cells.mapIndex[index] ?? 0)) continue;
      cells.codes[index] = STATE_CODE.get(row.state) ?? -1;
      cells.mapIndex[index] = row.mapIndex;
    }
    return {
      dag_id: dagId,
      task_ids: taskIds,
      states: [...TASK_INSTANCE_STATES],
      dag_runs: page.runs.map((run) => ({
        run_id: run.runId,
        run_type: run.runType,
        state: run.state,
        logical_date: iso(run.logicalDate),
        run_after: new Date(run.runAfter).toISOString(),
        start_date: iso(run.startDate),
        end_date: iso(run.endDate),
        task_states: byRun.get(run.id)?.codes ?? new Array<number>(taskIds.length).fill(-1),
      })),
      total_entries: page.total,
    };
  });
};

/** The latest version's task order, then tasks that only older runs have, in first-seen order. */
function orderedTaskIds(current: string[], rows: TaskStateRow[]): string[] {
  const ids = new Set(current);
  for (const row of rows) ids.add(row.taskId);
  return [...ids];
}
