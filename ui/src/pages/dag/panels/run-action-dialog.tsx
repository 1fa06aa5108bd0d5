import { useEffect, useState } from 'react';
import { useClearRun, useRunTaskInstances, useSetRunState } from '../../../api/hooks/runs.ts';
import { Dialog } from '../../../components/dialog.tsx';
import { useToaster } from '../../../components/toasts.tsx';
import { PreviewList } from './preview-list.tsx';
import type { StateAction } from './state-action-buttons.tsx';

export type RunAction = StateAction;
const TITLES: Record<RunAction, string> = { clear: 'Clear run', success: 'Mark run as success', failed: 'Mark run as failed' };
const FINISHED = new Set(['success', 'failed', 'skipped', 'upstream_failed', 'removed']);

/** Clear a whole run (previewed by a dry run) or mark it; marking changes the unfinished tasks. */
export function RunActionDialog({ action, dagId, runId, onClose }: { action: RunAction; dagId: string; runId: string; onClose: () => void }) {
  const clear = useClearRun();
  const mark = useSetRunState();
  const tis = useRunTaskInstances(dagId, runId);
  const [onlyFailed, setOnlyFailed] = useState(false);
  const [cleared, setCleared] = useState<{ key: string; label: string; state: string }[]>([]);
  const toaster = useToaster();

  useEffect(() => {
    if (action !== 'clear') return;
    clear.mutate(
      { dagId, runId, dryRun: true, onlyFailed },
      { onSuccess: (plan) => setCleared(plan.dag_runs.flatMap((run) => run.task_instances.map((ti) => ({ key: `${ti.task_id}/${ti.map_index}`, label: ti.task_id, state: ti.state })))) },
    );
  }, [action, dagId, runId, onlyFailed]);

  const items =
    action === 'clear'
      ? cleared
      : (tis.data?.task_instances ?? []).filter((ti) => !FINISHED.has(ti.state)).map((ti) => ({ key: ti.task_id, label: ti.task_id, state: ti.state }));
  const confirm = (): void => {
    const done = { onSuccess: () => (toaster.info(TITLES[action], runId), onClose()) };
    if (action === 'clear') clear.mutate({ dagId, runId, dryRun: false, onlyFailed }, done);
    else mark.mutate({ dagId, runId, state: action }, done);
  };
  const busy = clear.isPending || mark.isPending;
  return (
    <Dialog title={TITLES[action]} subtitle={<span className="mono">{runId}</span>} onClose={onClose} onSubmit={confirm} submitLabel={action === 'clear' ? 'Clear' : 'Confirm'} submitKind={action === 'failed' ? 'danger' : 'primary'} busy={busy} submitDisabled={action === 'clear' && items.length === 0}>
      {action === 'clear' && (
        <label className="checkbox">
          <input type="checkbox" checked={onlyFailed} onChange={(event) => setOnlyFailed(event.target.checked)} /> Only failed tasks
        </label>
      )}
      <PreviewList items={items} loading={action === 'clear' ? clear.isPending : tis.isPending} emptyText={action === 'clear' ? 'Nothing to clear.' : 'Every task has finished; only the run state changes.'} />
    </Dialog>
  );
}
