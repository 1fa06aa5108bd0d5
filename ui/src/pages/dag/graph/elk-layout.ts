import ELK, { type ElkNode } from 'elkjs/lib/elk.bundled.js';
import type { UiDag } from '../../../api/serialized-dag.ts';

export const TASK_WIDTH = 200;
export const TASK_HEIGHT = 50;

export interface PlacedNode {
  id: string;
  kind: 'task' | 'group';
  /** Relative to the parent group, as React Flow expects for child nodes. */
  x: number;
  y: number;
  width: number;
  height: number;
  parent: string | null;
}

const elk = new ELK();
const GROUP_PREFIX = 'group:';

/**
 * Lays the DAG out left to right with ELK's layered algorithm; task groups become compound nodes
 * that contain their tasks. Parents come before children in the result (React Flow needs that).
 */
export async function layoutDag(dag: UiDag): Promise<PlacedNode[]> {
  const groupIds = new Set(dag.taskGroups.map((group) => group.groupId));
  const childrenOf = new Map<string | null, ElkNode[]>();
  const add = (parent: string | null, node: ElkNode): void => {
    const list = childrenOf.get(parent) ?? [];
    list.push(node);
    childrenOf.set(parent, list);
  };
  for (const task of dag.tasks) add(task.group !== null && groupIds.has(task.group) ? task.group : null, { id: task.taskId, width: TASK_WIDTH, height: TASK_HEIGHT });
  for (const group of dag.taskGroups) add(group.parent !== null && groupIds.has(group.parent) ? group.parent : null, { id: GROUP_PREFIX + group.groupId });
  const build = (parent: string | null): ElkNode[] =>
    (childrenOf.get(parent) ?? []).map((node) =>
      node.id.startsWith(GROUP_PREFIX)
        ? { ...node, layoutOptions: { 'elk.padding': '[top=36,left=16,bottom=16,right=16]' }, children: build(node.id.slice(GROUP_PREFIX.length)) }
        : node,
    );
  const edges = dag.tasks.flatMap((task) => task.downstream.map((target) => ({ id: `${task.taskId}->${target}`, sources: [task.taskId], targets: [target] })));
  const laidOut = await elk.layout({
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
      'elk.layered.spacing.nodeNodeBetweenLayers': '70',
      'elk.spacing.nodeNode': '24',
      'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
    },
    children: build(null),
    edges,
  });
  const placed: PlacedNode[] = [];
  const collect = (nodes: ElkNode[] | undefined, parent: string | null): void => {
    for (const node of nodes ?? []) {
      const isGroup = node.id.startsWith(GROUP_PREFIX);
      const id = isGroup ? node.id.slice(GROUP_PREFIX.length) : node.id;
      placed.push({ id: isGroup ? node.id : id, kind: isGroup ? 'group' : 'task', x: node.x ?? 0, y: node.y ?? 0, width: node.width ?? TASK_WIDTH, height: node.height ?? TASK_HEIGHT, parent });
      if (isGroup) collect(node.children, node.id);
    }
  };
  collect(laidOut.children, null);
  return placed;
}
