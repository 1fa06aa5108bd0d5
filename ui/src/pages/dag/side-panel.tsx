import type { UiDag } from '../../api/serialized-dag.ts';
import { RunPanel } from './panels/run-panel.tsx';
import { TaskInstancePanel } from './panels/task-instance-panel.tsx';

interface SidePanelProps {
  dagId: string;
  dag: UiDag;
  runId: string | null;
  taskId: string | null;
  canEdit: boolean;
  onSelect: (selection: { run: string | null; task: string | null }) => void;
}

/** The right-hand panel: a task instance when a cell is chosen, else the chosen run. */
export function SidePanel({ dagId, dag, runId, taskId, canEdit, onSelect }: SidePanelProps) {
  const close = (
    <button className="btn btn-ghost btn-sm icon-btn" aria-label="Close panel" onClick={() => onSelect({ run: null, task: null })}>
      ✕
    </button>
  );
  if (runId !== null && taskId !== null)
    return <TaskInstancePanel key={`${runId}/${taskId}`} target={{ dagId, runId, taskId }} task={dag.tasks.find((task) => task.taskId === taskId)} canEdit={canEdit} closeButton={close} onBack={() => onSelect({ run: runId, task: null })} />;
  if (runId !== null) return <RunPanel dagId={dagId} runId={runId} canEdit={canEdit} closeButton={close} />;
  return null;
}
