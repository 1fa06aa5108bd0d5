import type { TaskInstanceState } from '../../contracts/states.ts';
import type { Executor } from './executor.ts';
import { toTaskInstance, type TaskInstance } from './task-instances.ts';

export interface SearchTaskInstancesOptions {
  dagId?: string;
  runId?: string;
  taskId?: string;
  states?: readonly TaskInstanceState[];
  /** Inclusive bounds on the TI's start date. */
  startDateFrom?: number;
  startDateTo?: number;
  limit: number;
  offset: number;
}

/** A page of task instances across runs (and DAGs) matching the filters, and how many match. */
export async function searchTaskInstances(db: Executor, options: SearchTaskInstancesOptions): Promise<{ taskInstances: TaskInstance[]; total: number }> {
  let query = db.selectFrom('task_instance');
  if (options.dagId !== undefined) query = query.where('dag_id', '=', options.dagId);
  if (options.runId !== undefined) query = query.where('run_id', '=', options.runId);
  if (options.taskId !== undefined) query = query.where('task_id', '=', options.taskId);
  if (options.states !== undefined) query = options.states.length === 0 ? query.where((eb) => eb.lit(false)) : query.where('state', 'in', options.states);
  if (options.startDateFrom !== undefined) query = query.where('start_date', '>=', options.startDateFrom);
  if (options.startDateTo !== undefined) query = query.where('start_date', '<=', options.startDateTo);
  const [rows, count] = await Promise.all([
    query.selectAll().orderBy('dag_id').orderBy('run_id').orderBy('task_id').orderBy('map_index').limit(options.limit).offset(options.offset).execute(),
    query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ]);
  return { taskInstances: rows.map(toTaskInstance), total: Number(count.total) };
}
