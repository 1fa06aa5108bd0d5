import type { Virtualizer } from '@tanstack/react-virtual';
import type { GridRun } from '../../../api/types.ts';
import type { GridRow } from '../../../lib/grid-rows.ts';
import { stateColor, stateLabel } from '../../../lib/states.ts';
import { CELL_SIZE, COLUMN_WIDTH, HEADER_HEIGHT, LABEL_WIDTH, ROW_HEIGHT } from './grid-geometry.ts';

interface GridCellsProps {
  runs: GridRun[];
  rows: GridRow[];
  stateAt: (row: GridRow, column: number) => string | null;
  virtualRows: Virtualizer<HTMLDivElement, Element>;
  columns: Virtualizer<HTMLDivElement, Element>;
  selectedRun: string | null;
  selectedTask: string | null;
  onSelect: (runId: string, row: GridRow) => void;
}

/** Only the visible cells exist in the DOM: one div per task instance in view. */
export function GridCells({ runs, rows, stateAt, virtualRows, columns, selectedRun, selectedTask, onSelect }: GridCellsProps) {
  const visibleRows = virtualRows.getVirtualItems();
  const visibleColumns = columns.getVirtualItems();
  const selectedColumn = selectedRun === null ? -1 : runs.findIndex((run) => run.run_id === selectedRun);
  const selectedRow = selectedTask === null ? -1 : rows.findIndex((row) => row.kind === 'task' && row.id === selectedTask);
  const offset = (COLUMN_WIDTH - CELL_SIZE) / 2;
  return (
    <div className="grid-cells" style={{ top: HEADER_HEIGHT, left: LABEL_WIDTH, width: columns.getTotalSize(), height: virtualRows.getTotalSize() }}>
      {selectedColumn >= 0 && <div className="grid-highlight column" style={{ left: selectedColumn * COLUMN_WIDTH, width: COLUMN_WIDTH }} />}
      {selectedRow >= 0 && <div className="grid-highlight row" style={{ top: selectedRow * ROW_HEIGHT, height: ROW_HEIGHT }} />}
      {visibleRows.map((rowItem) => {
        const row = rows[rowItem.index];
        if (row === undefined) return null;
        return visibleColumns.map((columnItem) => {
          const run = runs[columnItem.index];
          if (run === undefined) return null;
          const state = stateAt(row, columnItem.index);
          if (state === null) return null;
          return (
            <div
              key={`${row.id}\u0000${run.run_id}`}
              className={`grid-cell${row.kind === 'group' ? ' group' : ''}`}
              role="button"
              tabIndex={-1}
              data-task-id={row.id}
              data-run-id={run.run_id}
              data-state={state}
              title={`${row.id} · ${stateLabel(state)}\n${run.run_id}`}
              style={{ left: columnItem.start + offset, top: rowItem.start + (ROW_HEIGHT - CELL_SIZE) / 2, width: CELL_SIZE, height: CELL_SIZE, background: stateColor(state) }}
              onClick={() => onSelect(run.run_id, row)}
            />
          );
        });
      })}
    </div>
  );
}
