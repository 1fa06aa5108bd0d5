import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useGrid } from '../../../api/hooks/runs.ts';
import type { UiDag } from '../../../api/serialized-dag.ts';
import { EmptyState, Loading } from '../../../components/empty-state.tsx';
import type { GridRow } from '../../../lib/grid-rows.ts';
import { useNow } from '../../../lib/use-now.ts';
import { COLUMN_WIDTH, HEADER_HEIGHT, LABEL_WIDTH, ROW_HEIGHT } from './grid-geometry.ts';
import { GridCells } from './grid-cells.tsx';
import { GridHeader } from './grid-header.tsx';
import { GridLabels } from './grid-labels.tsx';
import { useGridModel } from './grid-model.ts';

const RUN_LIMITS = [25, 50, 100, 365, 1000];

interface GridViewProps {
  dagId: string;
  dag: UiDag | undefined;
  selectedRun: string | null;
  selectedTask: string | null;
  onSelect: (selection: { run: string | null; task: string | null }) => void;
}

/**
 * Runs × tasks, coloured by state. Both axes are virtualised (@tanstack/react-virtual), so
 * 1,000 runs × 50 tasks renders only the cells in view and scrolls smoothly.
 */
export function GridView({ dagId, dag, selectedRun, selectedTask, onSelect }: GridViewProps) {
  const [limit, setLimit] = useState(25);
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const grid = useGrid(dagId, limit);
  const model = useGridModel(grid.data, dag, collapsed);
  const now = useNow(5000);
  const scrollRef = useRef<HTMLDivElement>(null);
  const rows = useVirtualizer({ count: model.rows.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 10, scrollPaddingStart: HEADER_HEIGHT });
  const columns = useVirtualizer({ horizontal: true, count: model.runs.length, getScrollElement: () => scrollRef.current, estimateSize: () => COLUMN_WIDTH, overscan: 12, scrollPaddingStart: LABEL_WIDTH });

  // Newest runs are on the right: start there, and stay there as new runs arrive.
  const runCount = model.runs.length;
  useEffect(() => {
    const element = scrollRef.current;
    if (element !== null) element.scrollLeft = element.scrollWidth;
  }, [runCount]);

  const toggleGroup = (groupId: string): void =>
    setCollapsed((all) => {
      const next = new Set(all);
      if (next.has(groupId)) next.delete(groupId);
      else next.add(groupId);
      return next;
    });
  const selectCell = (runId: string, row: GridRow): void => {
    if (row.kind === 'group') toggleGroup(row.id);
    else onSelect({ run: runId, task: row.id });
  };

  /** Arrow keys move the selection through runs and tasks. */
  const onKeyDown = (event: KeyboardEvent): void => {
    const taskRows = model.rows.filter((row) => row.kind === 'task');
    const column = model.runs.findIndex((run) => run.run_id === selectedRun);
    const row = taskRows.findIndex((candidate) => candidate.id === selectedTask);
    const moves: Record<string, [number, number]> = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
    const move = moves[event.key];
    if (move === undefined || model.runs.length === 0) return;
    event.preventDefault();
    const nextColumn = Math.min(model.runs.length - 1, Math.max(0, (column < 0 ? model.runs.length - 1 : column) + move[0]));
    const nextRow = selectedTask === null && move[1] === 0 ? -1 : Math.min(taskRows.length - 1, Math.max(0, row + move[1]));
    onSelect({ run: model.runs[nextColumn]?.run_id ?? null, task: nextRow < 0 ? null : (taskRows[nextRow]?.id ?? null) });
    columns.scrollToIndex(nextColumn);
    if (nextRow >= 0) rows.scrollToIndex(model.rows.indexOf(taskRows[nextRow] as GridRow));
  };

  if (grid.isPending) return <Loading label="Loading runs…" />;
  return (
    <div className="grid-view">
      <div className="toolbar grid-toolbar">
        <label className="small muted" htmlFor="grid-limit">
          Runs
        </label>
        <select id="grid-limit" className="select" style={{ height: 28 }} value={limit} onChange={(event) => setLimit(Number(event.target.value))}>
          {RUN_LIMITS.map((value) => (
            <option key={value} value={value}>
              {value}
            </option>
          ))}
        </select>
        {(dag?.taskGroups.length ?? 0) > 0 && (
          <>
            <button className="btn btn-sm btn-ghost" onClick={() => setCollapsed(new Set())}>
              Expand groups
            </button>
            <button className="btn btn-sm btn-ghost" onClick={() => setCollapsed(new Set(dag?.taskGroups.map((group) => group.groupId)))}>
              Collapse groups
            </button>
          </>
        )}
        <span className="muted small" style={{ marginLeft: 'auto' }}>
          <span className="kbd">←</span> <span className="kbd">→</span> <span className="kbd">↑</span> <span className="kbd">↓</span> move the selection
        </span>
      </div>
      {model.runs.length === 0 && <EmptyState title="No runs yet">Trigger the DAG or unpause it to let the scheduler start runs.</EmptyState>}
      {model.runs.length > 0 && (
        <div className="grid-scroll" ref={scrollRef} tabIndex={0} onKeyDown={onKeyDown} aria-label="Grid of runs and tasks" data-testid="grid">
          <div className="grid-inner" style={{ width: LABEL_WIDTH + columns.getTotalSize(), height: HEADER_HEIGHT + rows.getTotalSize() }}>
            <GridHeader runs={model.runs} columns={columns} selectedRun={selectedRun} onSelectRun={(run) => onSelect({ run, task: selectedTask })} now={now} />
            <GridLabels rows={model.rows} virtualRows={rows} selectedTask={selectedTask} onToggleGroup={toggleGroup} onSelectTask={(task) => onSelect({ run: selectedRun ?? model.runs.at(-1)?.run_id ?? null, task })} />
            <GridCells runs={model.runs} rows={model.rows} stateAt={model.stateAt} virtualRows={rows} columns={columns} selectedRun={selectedRun} selectedTask={selectedTask} onSelect={selectCell} />
          </div>
        </div>
      )}
    </div>
  );
}
