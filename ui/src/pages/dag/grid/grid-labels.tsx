import type { Virtualizer } from '@tanstack/react-virtual';
import type { GridRow } from '../../../lib/grid-rows.ts';
import { LABEL_WIDTH, ROW_HEIGHT } from './grid-geometry.ts';

interface GridLabelsProps {
  rows: GridRow[];
  virtualRows: Virtualizer<HTMLDivElement, Element>;
  selectedTask: string | null;
  onToggleGroup: (groupId: string) => void;
  onSelectTask: (taskId: string) => void;
}

/** Task and group names, sticky on the left while the runs scroll sideways. */
export function GridLabels({ rows, virtualRows, selectedTask, onToggleGroup, onSelectTask }: GridLabelsProps) {
  return (
    <div className="grid-labels" style={{ width: LABEL_WIDTH, height: virtualRows.getTotalSize() }}>
      {virtualRows.getVirtualItems().map((item) => {
        const row = rows[item.index];
        if (row === undefined) return null;
        const indent = 12 + row.depth * 16;
        return row.kind === 'group' ? (
          <button
            key={row.id}
            className="grid-label group"
            style={{ top: item.start, height: ROW_HEIGHT, paddingLeft: indent }}
            onClick={() => onToggleGroup(row.id)}
            aria-expanded={!row.collapsed}
            title={`Task group ${row.id} (${row.taskIndexes.length} tasks)`}
          >
            <span className="caret">{row.collapsed ? '▸' : '▾'}</span>
            {row.label}
            <span className="muted small">{row.taskIndexes.length}</span>
          </button>
        ) : (
          <button
            key={row.id}
            className={`grid-label${row.id === selectedTask ? ' selected' : ''}`}
            style={{ top: item.start, height: ROW_HEIGHT, paddingLeft: indent + 14 }}
            onClick={() => onSelectTask(row.id)}
            title={row.id}
          >
            {row.label}
          </button>
        );
      })}
    </div>
  );
}
