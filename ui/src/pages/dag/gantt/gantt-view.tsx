import { useRecentRuns, useRunTaskInstances } from '../../../api/hooks/runs.ts';
import { EmptyState, Loading } from '../../../components/empty-state.tsx';
import { stateColor, stateLabel } from '../../../lib/states.ts';
import { formatDuration, formatExact } from '../../../lib/time.ts';
import { useNow } from '../../../lib/use-now.ts';

/** When each task of a run started and ended, on one time axis. Running tasks grow live. */
export function GanttView({ dagId, runId, onSelectTask }: { dagId: string; runId: string | null; onSelectTask: (taskId: string) => void }) {
  const recent = useRecentRuns(dagId);
  const effectiveRun = runId ?? recent.data?.dag_runs[0]?.run_id ?? null;
  const tis = useRunTaskInstances(dagId, effectiveRun);
  const now = useNow(1000);
  if (effectiveRun === null) return recent.isPending ? <Loading /> : <EmptyState title="No runs yet">The Gantt chart shows a run once there is one.</EmptyState>;
  if (tis.isPending) return <Loading />;
  const started = (tis.data?.task_instances ?? []).filter((ti) => ti.start_date !== null).sort((a, b) => Date.parse(a.start_date ?? '') - Date.parse(b.start_date ?? ''));
  if (started.length === 0) return <EmptyState title="Nothing has started in this run yet" />;
  const start = Math.min(...started.map((ti) => Date.parse(ti.start_date ?? '')));
  const end = Math.max(...started.map((ti) => (ti.end_date === null ? now : Date.parse(ti.end_date))));
  const total = Math.max(1, end - start);
  const ticks = [0, 0.25, 0.5, 0.75, 1];
  return (
    <div className="card gantt" data-testid="gantt">
      <div className="gantt-head">
        <div className="small muted">
          Run <span className="mono">{effectiveRun}</span>
        </div>
        <div className="gantt-axis">
          {ticks.map((tick) => (
            <span key={tick} style={{ left: `${tick * 100}%` }}>
              +{formatDuration(tick * total)}
            </span>
          ))}
        </div>
      </div>
      {started.map((ti) => {
        const from = Date.parse(ti.start_date ?? '') - start;
        const to = (ti.end_date === null ? now : Date.parse(ti.end_date)) - start;
        return (
          <button key={ti.task_id} className="gantt-row" onClick={() => onSelectTask(ti.task_id)}>
            <span className="gantt-label">{ti.task_id}</span>
            <span className="gantt-track">
              <span
                className="gantt-bar"
                title={`${ti.task_id} · ${stateLabel(ti.state)}\n${formatExact(ti.start_date ?? '')} → ${ti.end_date === null ? 'now' : formatExact(ti.end_date)}\n${formatDuration(to - from)}`}
                style={{ left: `${(from / total) * 100}%`, width: `max(3px, ${((to - from) / total) * 100}%)`, background: stateColor(ti.state) }}
              />
            </span>
            <span className="gantt-duration small muted">{formatDuration(to - from)}</span>
          </button>
        );
      })}
    </div>
  );
}
