import { useState, type ReactNode } from 'react';
import { useTaskInstance, useTries, type TiRef } from '../../../api/hooks/task-instances.ts';
import type { UiTask } from '../../../api/serialized-dag.ts';
import { Loading } from '../../../components/empty-state.tsx';
import { StateBadge } from '../../../components/state-badge.tsx';
import { isActiveState } from '../../../lib/states.ts';
import { LogViewer } from '../log/log-viewer.tsx';
import { RenderedFieldsTab } from './rendered-fields-tab.tsx';
import { StateActionButtons } from './state-action-buttons.tsx';
import { TaskActionDialog, type TaskAction } from './task-action-dialog.tsx';
import { TiDetailsTab } from './ti-details-tab.tsx';
import { XComTab } from './xcom-tab.tsx';

const TABS = ['Log', 'Details', 'Rendered', 'XCom'] as const;
type Tab = (typeof TABS)[number];

interface TaskInstancePanelProps {
  target: TiRef;
  task: UiTask | undefined;
  canEdit: boolean;
  closeButton: ReactNode;
  onBack: () => void;
}

/** One task instance: its tries, log (live while running), rendered templates, XCom and actions. */
export function TaskInstancePanel({ target, task, canEdit, closeButton, onBack }: TaskInstancePanelProps) {
  const ti = useTaskInstance(target);
  const tries = useTries(target);
  const [tab, setTab] = useState<Tab>('Log');
  const [chosenTry, setChosenTry] = useState<number | null>(null);
  const [action, setAction] = useState<TaskAction | null>(null);
  if (ti.isPending) return <Loading />;
  if (ti.data === undefined)
    return (
      <div className="panel">
        <div className="panel-header">
          <h2 className="mono" style={{ flex: 1 }}>
            {target.taskId}
          </h2>
          {closeButton}
        </div>
        <div className="panel-body muted">This run has no instance of this task.</div>
      </div>
    );
  const data = ti.data;
  const latestTry = Math.max(1, data.try_number);
  const tryNumber = chosenTry ?? latestTry;
  const following = tryNumber === latestTry && isActiveState(data.state);
  const tryList = tries.data?.tries ?? [];
  return (
    <div className="panel" data-testid="ti-panel">
      <div className="panel-header">
        <div style={{ minWidth: 0, flex: 1 }}>
          <button className="btn btn-ghost btn-sm" style={{ padding: 0, height: 18 }} onClick={onBack} title="Show the run">
            <span className="small muted mono ellipsis">{target.runId}</span>
          </button>
          <h2 className="mono ellipsis" title={target.taskId}>
            {target.taskId}
          </h2>
        </div>
        <StateBadge state={data.state} />
        {closeButton}
      </div>
      <StateActionButtons canEdit={canEdit} onAction={setAction}>
        {data.try_number > 0 && (
          <select className="select" style={{ height: 26, marginLeft: 'auto' }} aria-label="Try" value={tryNumber} onChange={(event) => setChosenTry(Number(event.target.value))}>
            {Array.from({ length: latestTry }, (_, index) => latestTry - index).map((number) => {
              const attempt = tryList.find((candidate) => candidate.try_number === number);
              return (
                <option key={number} value={number}>
                  Try {number}
                  {attempt === undefined ? '' : ` · ${attempt.state.replaceAll('_', ' ')}`}
                </option>
              );
            })}
          </select>
        )}
      </StateActionButtons>
      <div className="tabs" role="tablist" style={{ padding: '0 14px' }}>
        {TABS.map((name) => (
          <button key={name} role="tab" className="tab" aria-selected={tab === name} onClick={() => setTab(name)}>
            {name}
          </button>
        ))}
      </div>
      <div className="panel-body fill">
        {tab === 'Log' && (data.try_number === 0 && !isActiveState(data.state) ? <div className="log-empty">This task has not run in this run.</div> : <LogViewer target={target} tryNumber={tryNumber} follow={following} />)}
        {tab === 'Details' && <TiDetailsTab ti={data} task={task} tries={tryList} />}
        {tab === 'Rendered' && <RenderedFieldsTab target={target} tryNumber={tryNumber} />}
        {tab === 'XCom' && <XComTab target={target} />}
      </div>
      {action !== null && <TaskActionDialog action={action} target={target} onClose={() => setAction(null)} />}
    </div>
  );
}
