import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import { stateColor, stateLabel } from '../../../lib/states.ts';

export type TaskNodeData = { label: string; operator: string; state: string | null; selected: boolean };
export type TaskNodeType = Node<TaskNodeData, 'task'>;

/** A task box: its name, operator and the state in the selected run (left border colour). */
export function TaskNode({ data }: NodeProps<TaskNodeType>) {
  return (
    <div className={`graph-task${data.selected ? ' selected' : ''}`} style={{ borderLeftColor: stateColor(data.state) }} data-state={data.state ?? 'none'}>
      <Handle type="target" position={Position.Left} />
      <div className="graph-task-name">{data.label}</div>
      <div className="graph-task-meta">
        <span>{data.operator}</span>
        <span className="graph-task-state">
          <span className="state-dot" style={{ background: stateColor(data.state), width: 8, height: 8 }} />
          {stateLabel(data.state)}
        </span>
      </div>
      <Handle type="source" position={Position.Right} />
    </div>
  );
}
