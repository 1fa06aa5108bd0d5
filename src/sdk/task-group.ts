import { childId, requireScope, withScope, type GraphNode, type GroupScope, type TaskHost } from './build-scope.ts';
import { Dependable } from './dependable.ts';
import { assertValidId } from './ids.ts';
import { invalidOption } from './option-errors.ts';

export interface TaskGroupOptions {
  groupId: string;
  /** Shown when hovering the group in the UI. */
  tooltip?: string;
  /** Prefix the ids of tasks inside with `groupId.` (default true). */
  prefixGroupId?: boolean;
}

/**
 * A group of tasks shown as one box in the UI (Airflow's TaskGroup). As a dependency it stands
 * for its roots (edges coming in) and its leaves (edges going out).
 */
export class TaskGroup extends Dependable implements GroupScope {
  readonly groupId: string;
  readonly prefixGroupId: boolean;
  readonly parent: GroupScope | null;
  readonly tooltip: string;
  readonly host: TaskHost;

  constructor(options: TaskGroupOptions, host: TaskHost, parent: GroupScope | null) {
    super();
    const site = { dagId: host.dagId, taskId: String(options.groupId) };
    this.groupId = assertValidId('task group', childId(parent, assertValidId('task group', options.groupId, site)), site);
    this.prefixGroupId = options.prefixGroupId ?? true;
    this.parent = parent;
    this.tooltip = options.tooltip ?? '';
    this.host = host;
    if (typeof this.prefixGroupId !== 'boolean' || typeof this.tooltip !== 'string') {
      throw invalidOption(site, 'task group options prefixGroupId must be a boolean and tooltip a string', "taskGroup({ groupId: 'extract', tooltip: '...' }, () => { ... })");
    }
  }

  /** Tasks of the group with no upstream inside the group. */
  roots(): readonly GraphNode[] {
    const members = this.host.tasksInGroup(this.groupId);
    const ids = new Set(members.map((task) => task.taskId));
    return members.filter((task) => ![...this.host.upstreamOf(task.taskId)].some((id) => ids.has(id)));
  }

  /** Tasks of the group with no downstream inside the group. */
  leaves(): readonly GraphNode[] {
    const members = this.host.tasksInGroup(this.groupId);
    const ids = new Set(members.map((task) => task.taskId));
    return members.filter((task) => ![...this.host.downstreamOf(task.taskId)].some((id) => ids.has(id)));
  }
}

/**
 * Creates a task group: tasks created in `build` get ids `groupId.taskId`; groups nest.
 *
 * ```ts
 * const extract = taskGroup('extract', () => { new EmptyOperator({ taskId: 'download' }); });
 * extract.then(load); // edges from the group's leaves to load
 * ```
 */
export function taskGroup(idOrOptions: string | TaskGroupOptions, build: (group: TaskGroup) => void): TaskGroup {
  const options = typeof idOrOptions === 'string' ? { groupId: idOrOptions } : idOrOptions;
  const scope = requireScope(`task group "${String(options?.groupId)}"`);
  const group = new TaskGroup(options, scope.host, scope.group);
  scope.host.addGroup(group);
  withScope({ host: scope.host, group }, () => build(group));
  return group;
}
