import { useEffect, useState } from 'react';
import { useClearTask, useSetTaskState, type TiRef } from '../../../api/hooks/task-instances.ts';
import { Dialog } from '../../../components/dialog.tsx';
import { useToaster } from '../../../components/toasts.tsx';
import { PreviewList } from './preview-list.tsx';
import type { StateAction } from './state-action-buttons.tsx';

export type TaskAction = StateAction;
const TITLES: Record<TaskAction, string> = { clear: 'Clear task', success: 'Mark task as success', failed: 'Mark task as failed' };

/**
 * Clear or mark a task, optionally with its upstream/downstream tasks. Every change of the options
 * asks the server for a dry run, so the preview is exactly what the real action will do.
 */
export function TaskActionDialog({ action, target, onClose }: { action: TaskAction; target: TiRef; onClose: () => void }) {
  const [upstream, setUpstream] = useState(false);
  const [downstream, setDownstream] = useState(action === 'clear');
  const [onlyFailed, setOnlyFailed] = useState(false);
  const clear = useClearTask();
  const mark = useSetTaskState();
  const preview = action === 'clear' ? clear : mark;
  const [items, setItems] = useState<{ key: string; label: string; state: string }[]>([]);
  const toaster = useToaster();
  const { dagId, runId, taskId } = target;

  useEffect(() => {
    const options = { dagId, runId, taskId, upstream, downstream, dryRun: true };
    if (action === 'clear')
      clear.mutate(
        { ...options, onlyFailed },
        { onSuccess: (plan) => setItems(plan.dag_runs.flatMap((run) => run.task_instances.map((ti) => ({ key: `${run.run_id}/${ti.task_id}/${ti.map_index}`, label: ti.task_id, state: ti.state })))) },
      );
    else mark.mutate({ ...options, state: action }, { onSuccess: (changes) => setItems(changes.task_instances.map((ti) => ({ key: ti.task_id, label: ti.task_id, state: ti.previous_state }))) });
    // The mutation objects change identity every render; the options are what matter.
  }, [action, dagId, runId, taskId, upstream, downstream, onlyFailed]);

  const confirm = (): void => {
    const options = { dagId, runId, taskId, upstream, downstream, dryRun: false };
    const done = { onSuccess: () => (toaster.info(TITLES[action], `${items.length} task instance(s) changed`), onClose()) };
    if (action === 'clear') clear.mutate({ ...options, onlyFailed }, done);
    else mark.mutate({ ...options, state: action }, done);
  };

  return (
    <Dialog title={TITLES[action]} subtitle={<span className="mono">{`${taskId} · ${runId}`}</span>} onClose={onClose} onSubmit={confirm} submitLabel={action === 'clear' ? 'Clear' : 'Confirm'} submitKind={action === 'failed' ? 'danger' : 'primary'} busy={preview.isPending} submitDisabled={items.length === 0}>
      <div style={{ display: 'flex', gap: 16, flexWrap: 'wrap' }}>
        <label className="checkbox">
          <input type="checkbox" checked={upstream} onChange={(event) => setUpstream(event.target.checked)} /> Upstream
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={downstream} onChange={(event) => setDownstream(event.target.checked)} /> Downstream
        </label>
        {action === 'clear' && (
          <label className="checkbox">
            <input type="checkbox" checked={onlyFailed} onChange={(event) => setOnlyFailed(event.target.checked)} /> Only failed
          </label>
        )}
      </div>
      <PreviewList items={items} loading={preview.isPending} emptyText="Nothing would change with these options." />
    </Dialog>
  );
}
