import { Background, Controls, MarkerType, MiniMap, ReactFlow, type Edge } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useEffect, useMemo, useState } from 'react';
import { useRecentRuns, useRunTaskInstances } from '../../../api/hooks/runs.ts';
import type { UiDag } from '../../../api/serialized-dag.ts';
import { Loading } from '../../../components/empty-state.tsx';
import { summarizeStates } from '../../../lib/grid-rows.ts';
import { layoutDag, type PlacedNode } from './elk-layout.ts';
import { GroupNode, type GroupNodeType } from './group-node.tsx';
import { TaskNode, type TaskNodeType } from './task-node.tsx';

const NODE_TYPES = { task: TaskNode, taskGroup: GroupNode };
/** Small DAGs fit on screen; the minimap only helps to find one's way in big ones. */
const MINIMAP_FROM_TASKS = 25;

interface GraphViewProps {
  dagId: string;
  dag: UiDag;
  selectedRun: string | null;
  selectedTask: string | null;
  onSelect: (selection: { run: string | null; task: string | null }) => void;
}

/** The DAG as a graph (ELK layered, left to right), coloured by the selected (or latest) run. */
export function GraphView({ dagId, dag, selectedRun, selectedTask, onSelect }: GraphViewProps) {
  const [placed, setPlaced] = useState<PlacedNode[] | null>(null);
  const recent = useRecentRuns(dagId);
  const runId = selectedRun ?? recent.data?.dag_runs[0]?.run_id ?? null;
  const tis = useRunTaskInstances(dagId, runId);

  useEffect(() => {
    let current = true;
    layoutDag(dag).then(
      (nodes) => current && setPlaced(nodes),
      () => current && setPlaced([]),
    );
    return () => {
      current = false;
    };
  }, [dag]);

  const stateOf = useMemo(() => new Map((tis.data?.task_instances ?? []).map((ti) => [ti.task_id, ti.state as string])), [tis.data]);
  const nodes = useMemo((): (TaskNodeType | GroupNodeType)[] => {
    const tasks = new Map(dag.tasks.map((task) => [task.taskId, task]));
    return (placed ?? []).map((node) => {
      const common = { id: node.id, position: { x: node.x, y: node.y }, ...(node.parent === null ? {} : { parentId: node.parent, extent: 'parent' as const }) };
      if (node.kind === 'group') {
        const groupId = node.id.slice('group:'.length);
        const members = dag.tasks.filter((task) => task.group === groupId || (task.group?.startsWith(`${groupId}.`) ?? false));
        const label = dag.taskGroups.find((group) => group.groupId === groupId)?.groupId ?? groupId;
        return { ...common, type: 'taskGroup', data: { label, state: summarizeStates(members.map((task) => stateOf.get(task.taskId) ?? null)) }, style: { width: node.width, height: node.height }, selectable: false };
      }
      const task = tasks.get(node.id);
      const label = task?.group !== null && task?.group !== undefined && node.id.startsWith(`${task.group}.`) ? node.id.slice(task.group.length + 1) : node.id;
      return { ...common, type: 'task', data: { label, operator: task?.operator ?? '', state: stateOf.get(node.id) ?? null, selected: node.id === selectedTask } };
    });
  }, [placed, dag, stateOf, selectedTask]);
  const edges = useMemo(
    (): Edge[] =>
      dag.tasks.flatMap((task) =>
        task.downstream.map((target) => ({
          id: `${task.taskId}->${target}`,
          source: task.taskId,
          target,
          type: 'smoothstep',
          animated: stateOf.get(task.taskId) === 'running',
          markerEnd: { type: MarkerType.ArrowClosed, width: 16, height: 16 },
        })),
      ),
    [dag, stateOf],
  );

  if (placed === null) return <Loading label="Laying out the graph…" />;
  return (
    <div className="graph-view card" data-testid="graph">
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={NODE_TYPES}
        fitView
        fitViewOptions={{ padding: 0.2, maxZoom: 1.2 }}
        minZoom={0.1}
        nodesDraggable={false}
        nodesConnectable={false}
        proOptions={{ hideAttribution: true }}
        onNodeClick={(_event, node) => {
          if (node.type === 'task') onSelect({ run: runId, task: node.id });
        }}
      >
        <Background gap={20} size={1} />
        <Controls showInteractive={false} />
        {dag.tasks.length > MINIMAP_FROM_TASKS && <MiniMap pannable zoomable nodeColor={(node) => (node.type === 'task' ? '#94a3b8' : 'transparent')} />}
      </ReactFlow>
    </div>
  );
}
