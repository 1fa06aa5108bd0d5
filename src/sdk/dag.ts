import { UpdraftError } from '../contracts/errors.ts';
import type { SerializedDag } from '../contracts/serialized-dag.ts';
import type { BaseOperator } from './base-operator.ts';
import type { GroupScope, TaskHost } from './build-scope.ts';
import type { DagSettings, MacroFunction } from './dag-options.ts';
import { definitionError } from './option-errors.ts';
import { serializeDag } from './serialize.ts';
import type { ContextDag } from './task-context.ts';
import type { DefaultArgs } from './task-options.ts';

/**
 * A DAG: its settings, its tasks and the edges between them. Created by `dag(options, build)`;
 * the scheduler never sees this object, only `serialize()`'s output.
 */
export class Dag implements TaskHost, ContextDag {
  readonly settings: DagSettings;
  /** Absolute path of the file that defined the DAG ('' when defined outside a DAG file import). */
  readonly fileloc: string;
  private readonly taskMap = new Map<string, BaseOperator>();
  private readonly groupMap = new Map<string, GroupScope>();
  private readonly taskGroup = new Map<string, GroupScope | null>();
  private readonly upstream = new Map<string, Set<string>>();
  private readonly downstream = new Map<string, Set<string>>();

  constructor(settings: DagSettings, fileloc: string) {
    this.settings = settings;
    this.fileloc = fileloc;
  }

  get dagId(): string {
    return this.settings.dagId;
  }

  get timezone(): string {
    return this.settings.timezone;
  }

  get owner(): string {
    return this.settings.owner;
  }

  get defaultArgs(): Readonly<DefaultArgs> {
    return this.settings.defaultArgs;
  }

  get templateSearchpath(): readonly string[] {
    return this.settings.templateSearchpath;
  }

  get userDefinedMacros(): Readonly<Record<string, MacroFunction>> {
    return this.settings.userDefinedMacros;
  }

  /** Tasks in the order they were created. */
  get tasks(): BaseOperator[] {
    return [...this.taskMap.values()];
  }

  get taskGroups(): GroupScope[] {
    return [...this.groupMap.values()];
  }

  /** Throws TASK_NOT_FOUND when the DAG has no such task. */
  getTask(taskId: string): BaseOperator {
    const task = this.taskMap.get(taskId);
    if (task === undefined) {
      throw new UpdraftError('TASK_NOT_FOUND', `DAG "${this.dagId}" has no task "${taskId}"`, {
        hint: `Known tasks: ${[...this.taskMap.keys()].join(', ') || '(none)'}`,
        details: { dagId: this.dagId, taskId },
      });
    }
    return task;
  }

  hasTask(taskId: string): boolean {
    return this.taskMap.has(taskId);
  }

  addTask(task: BaseOperator, group: GroupScope | null): void {
    if (this.taskMap.has(task.taskId) || this.groupMap.has(task.taskId)) throw this.duplicate(task.taskId);
    this.taskMap.set(task.taskId, task);
    this.taskGroup.set(task.taskId, group);
    this.upstream.set(task.taskId, new Set());
    this.downstream.set(task.taskId, new Set());
  }

  addGroup(group: GroupScope): void {
    if (this.taskMap.has(group.groupId) || this.groupMap.has(group.groupId)) throw this.duplicate(group.groupId);
    this.groupMap.set(group.groupId, group);
  }

  addEdge(upstreamId: string, downstreamId: string): void {
    this.downstream.get(upstreamId)?.add(downstreamId);
    this.upstream.get(downstreamId)?.add(upstreamId);
  }

  upstreamOf(taskId: string): ReadonlySet<string> {
    return this.upstream.get(taskId) ?? new Set();
  }

  downstreamOf(taskId: string): ReadonlySet<string> {
    return this.downstream.get(taskId) ?? new Set();
  }

  tasksInGroup(groupId: string): BaseOperator[] {
    return this.tasks.filter((task) => {
      for (let group = this.taskGroup.get(task.taskId) ?? null; group !== null; group = group.parent) if (group.groupId === groupId) return true;
      return false;
    });
  }

  /** The JSON form stored in the metadata database (deterministic: same DAG, same JSON). */
  serialize(): SerializedDag {
    return serializeDag(this);
  }

  private duplicate(id: string): UpdraftError {
    return definitionError('DAG_DUPLICATE_TASK_ID', { dagId: this.dagId, taskId: id }, `task or group id "${id}" is used twice`, 'Give each task and task group a unique id');
  }
}
