import type { Node, NodeProps } from '@xyflow/react';
import { stateColor } from '../../../lib/states.ts';

export type GroupNodeData = { label: string; state: string | null };
export type GroupNodeType = Node<GroupNodeData, 'taskGroup'>;

/** A task group: a labelled frame around its tasks, tinted by its summarised state. */
export function GroupNode({ data }: NodeProps<GroupNodeType>) {
  return (
    <div className="graph-group" style={{ borderColor: data.state === null ? undefined : stateColor(data.state) }}>
      <div className="graph-group-label">{data.label}</div>
    </div>
  );
}
