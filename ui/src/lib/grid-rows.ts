/**
 * The rows of the grid: task groups (collapsible) and tasks, in DAG order, indented by depth.
 * A collapsed group is one row whose cells summarise its tasks. Pure, unit-tested in
 * test/ui/grid-rows.test.ts.
 */
export interface GroupSpec {
  groupId: string;
  parent: string | null;
}

export type GridRow =
  | { kind: 'group'; id: string; label: string; depth: number; collapsed: boolean; taskIndexes: number[] }
  | { kind: 'task'; id: string; label: string; depth: number; taskIndex: number };

/** `extract.download` in group `extract` is shown as `download`. */
function shortLabel(id: string, parent: string | null): string {
  return parent !== null && id.startsWith(`${parent}.`) ? id.slice(parent.length + 1) : id;
}

interface GroupNode {
  id: string;
  parent: string | null;
  /** Subgroups and task indexes, in order of first appearance. */
  children: (GroupNode | number)[];
}

/**
 * @param taskIds the grid's task ids (the order of the state arrays); a group's tasks are kept
 *   together under it, at the place where its first task appears
 * @param taskGroupOf task id -> its innermost group id (null at top level)
 */
export function buildGridRows(taskIds: string[], taskGroupOf: Map<string, string | null>, groups: GroupSpec[], collapsed: ReadonlySet<string>): GridRow[] {
  const parentOf = new Map(groups.map((group) => [group.groupId, group.parent]));
  const chainOf = (groupId: string | null): string[] => {
    const chain: string[] = [];
    for (let current = groupId; current !== null && current !== undefined && !chain.includes(current); current = parentOf.get(current) ?? null) chain.unshift(current);
    return chain;
  };
  const root: GroupNode = { id: '', parent: null, children: [] };
  const nodes = new Map<string, GroupNode>();
  taskIds.forEach((taskId, taskIndex) => {
    let node = root;
    for (const groupId of chainOf(taskGroupOf.get(taskId) ?? null)) {
      let child = nodes.get(groupId);
      if (child === undefined) {
        child = { id: groupId, parent: node === root ? null : node.id, children: [] };
        nodes.set(groupId, child);
        node.children.push(child);
      }
      node = child;
    }
    node.children.push(taskIndex);
  });
  const tasksUnder = (node: GroupNode): number[] => node.children.flatMap((child) => (typeof child === 'number' ? [child] : tasksUnder(child)));
  const rows: GridRow[] = [];
  const walk = (node: GroupNode, depth: number): void => {
    for (const child of node.children) {
      if (typeof child === 'number') {
        const taskId = taskIds[child] ?? '';
        rows.push({ kind: 'task', id: taskId, label: shortLabel(taskId, node === root ? null : node.id), depth, taskIndex: child });
        continue;
      }
      const isCollapsed = collapsed.has(child.id);
      rows.push({ kind: 'group', id: child.id, label: shortLabel(child.id, child.parent), depth, collapsed: isCollapsed, taskIndexes: tasksUnder(child) });
      if (!isCollapsed) walk(child, depth + 1);
    }
  };
  walk(root, 0);
  return rows;
}

/** Worst-first: the state a group shows is the most urgent among its tasks. */
const SUMMARY_ORDER = ['failed', 'upstream_failed', 'up_for_retry', 'up_for_reschedule', 'running', 'restarting', 'deferred', 'queued', 'scheduled', 'success', 'skipped', 'removed', 'none'];

export function summarizeStates(states: (string | null)[]): string | null {
  let best: number | null = null;
  for (const state of states) {
    if (state === null) continue;
    const rank = SUMMARY_ORDER.indexOf(state);
    const effective = rank === -1 ? SUMMARY_ORDER.length : rank;
    if (best === null || effective < best) best = effective;
  }
  return best === null ? null : (SUMMARY_ORDER[best] ?? 'none');
}

/**
 * Task ids in dependency order (upstream first), ties kept in the given order: the serialized DAG
 * lists tasks alphabetically, but people read a pipeline from its first task to its last.
 * Tasks caught in a cycle (impossible in a valid DAG) are appended rather than dropped.
 */
export function dependencyOrder(tasks: { taskId: string; upstream: string[] }[]): string[] {
  const ids = new Set(tasks.map((task) => task.taskId));
  const waiting = new Map(tasks.map((task) => [task.taskId, task.upstream.filter((id) => ids.has(id)).length]));
  const downstream = new Map<string, string[]>();
  for (const task of tasks) for (const up of task.upstream) if (ids.has(up)) downstream.set(up, [...(downstream.get(up) ?? []), task.taskId]);
  const order: string[] = [];
  const placed = new Set<string>();
  let progress = true;
  while (progress) {
    progress = false;
    for (const task of tasks) {
      if (placed.has(task.taskId) || (waiting.get(task.taskId) ?? 0) > 0) continue;
      order.push(task.taskId);
      placed.add(task.taskId);
      for (const next of downstream.get(task.taskId) ?? []) waiting.set(next, (waiting.get(next) ?? 0) - 1);
      progress = true;
      break;
    }
  }
  return [...order, ...tasks.map((task) => task.taskId).filter((id) => !placed.has(id))];
}
