import { useMemo } from 'react';
import type { UiDag } from '../../../api/serialized-dag.ts';
import type { Grid, GridRun } from '../../../api/types.ts';
import { buildGridRows, dependencyOrder, summarizeStates, type GridRow } from '../../../lib/grid-rows.ts';

export interface GridModel {
  /** Oldest first: time runs left to right, as in Airflow. */
  runs: GridRun[];
  rows: GridRow[];
  /** The state of row `r` in run column `c`, or null when the run has no such task. */
  stateAt(row: GridRow, column: number): string | null;
}

export function useGridModel(grid: Grid | undefined, dag: UiDag | undefined, collapsed: ReadonlySet<string>): GridModel {
  return useMemo(() => {
    const runs = [...(grid?.dag_runs ?? [])].reverse();
    const legend = grid?.states ?? [];
    // Rows follow the DAG's own task order; tasks only older runs have (the latest version dropped
    // them) come last. The state arrays stay aligned to grid.task_ids, hence the index map.
    const gridIds = grid?.task_ids ?? [];
    const gridIndex = new Map(gridIds.map((taskId, index) => [taskId, index]));
    const dagOrder = dependencyOrder(dag?.tasks ?? []).filter((taskId) => grid === undefined || gridIndex.has(taskId));
    const inDag = new Set(dagOrder);
    const taskIds = [...dagOrder, ...gridIds.filter((taskId) => !inDag.has(taskId))];
    const columnOf = taskIds.map((taskId) => gridIndex.get(taskId) ?? -1);
    const groupOf = new Map((dag?.tasks ?? []).map((task) => [task.taskId, task.group]));
    const rows = buildGridRows(taskIds, groupOf, dag?.taskGroups ?? [], collapsed);
    const taskState = (taskIndex: number, column: number): string | null => {
      const code = runs[column]?.task_states[columnOf[taskIndex] ?? -1];
      return code === undefined || code < 0 ? null : (legend[code] ?? null);
    };
    const stateAt = (row: GridRow, column: number): string | null =>
      row.kind === 'task' ? taskState(row.taskIndex, column) : summarizeStates(row.taskIndexes.map((index) => taskState(index, column)));
    return { runs, rows, stateAt };
  }, [grid, dag, collapsed]);
}
