import type { Virtualizer } from '@tanstack/react-virtual';
import type { GridRun } from '../../../api/types.ts';
import { stateColor, stateLabel } from '../../../lib/states.ts';
import { formatDuration, formatExact, formatShort, spanMs } from '../../../lib/time.ts';
import { BAR_MAX_HEIGHT, COLUMN_WIDTH, HEADER_HEIGHT, LABEL_WIDTH } from './grid-geometry.ts';

interface GridHeaderProps {
  runs: GridRun[];
  columns: Virtualizer<HTMLDivElement, Element>;
  selectedRun: string | null;
  onSelectRun: (runId: string) => void;
  now: number;
}

/** One bar per run, its height the run's duration, its colour the run's state. */
export function GridHeader({ runs, columns, selectedRun, onSelectRun, now }: GridHeaderProps) {
  const visible = columns.getVirtualItems();
  const longest = Math.max(1, ...visible.map((column) => spanMs(runs[column.index]?.start_date, runs[column.index]?.end_date, now) ?? 0));
  const newest = runs.at(-1);
  return (
    <div className="grid-header" style={{ height: HEADER_HEIGHT, width: LABEL_WIDTH + columns.getTotalSize() }}>
      <div className="grid-corner" style={{ width: LABEL_WIDTH, height: HEADER_HEIGHT }}>
        <span className="muted small">{runs.length === 1 ? '1 run' : `${runs.length} runs`}</span>
        {newest !== undefined && <span className="small">Latest run {formatShort(newest.run_after)}</span>}
      </div>
      {visible.map((column) => {
        const run = runs[column.index];
        if (run === undefined) return null;
        const duration = spanMs(run.start_date, run.end_date, now);
        const height = duration === null ? 4 : Math.max(4, Math.round((duration / longest) * BAR_MAX_HEIGHT));
        return (
          <button
            key={run.run_id}
            className={`grid-run${run.run_id === selectedRun ? ' selected' : ''}`}
            style={{ left: LABEL_WIDTH + column.start, width: COLUMN_WIDTH }}
            title={`${run.run_id}\n${stateLabel(run.state)} · ${formatExact(run.logical_date ?? run.run_after)}\nDuration ${formatDuration(duration)}`}
            data-run-id={run.run_id}
            data-state={run.state}
            onClick={() => onSelectRun(run.run_id)}
          >
            <span style={{ height, background: stateColor(run.state) }} />
          </button>
        );
      })}
    </div>
  );
}
