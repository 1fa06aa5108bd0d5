import type { JsonValue } from '../contracts/json.ts';
import { SERIALIZED_DAG_FORMAT, type SerializedDag, type SerializedTask, type SerializedTaskGroup } from '../contracts/serialized-dag.ts';
import type { BaseOperator } from './base-operator.ts';
import type { GroupScope } from './build-scope.ts';
import type { DagSettings } from './dag-options.ts';

/** What serialization reads from a DAG (the Dag class; an interface so that dag.ts can call this file). */
export interface SerializableDag {
  readonly settings: DagSettings;
  readonly fileloc: string;
  readonly tasks: readonly BaseOperator[];
  readonly taskGroups: readonly GroupScope[];
}

/**
 * The serialized form the scheduler, API and UI work from. Every list is sorted so that the same
 * DAG always gives the same JSON, and so the same content hash (a new hash means a new DAG version).
 */
export function serializeDag(dag: SerializableDag): SerializedDag {
  const { settings } = dag;
  return {
    format: SERIALIZED_DAG_FORMAT,
    dagId: settings.dagId,
    fileloc: dag.fileloc,
    timetable: settings.timetable,
    startDate: settings.startDate?.toUTC().toISO() ?? null,
    endDate: settings.endDate?.toUTC().toISO() ?? null,
    timezone: settings.timezone,
    catchup: settings.catchup,
    tags: [...settings.tags],
    owner: settings.owner,
    description: settings.description,
    docMd: settings.docMd,
    params: structuredClone(settings.params),
    maxActiveRuns: settings.maxActiveRuns,
    maxActiveTasks: settings.maxActiveTasks,
    dagrunTimeoutSeconds: settings.dagrunTimeoutSeconds,
    isPausedUponCreation: settings.isPausedUponCreation,
    templateSearchpath: [...settings.templateSearchpath],
    userDefinedMacros: Object.keys(settings.userDefinedMacros).sort(),
    tasks: [...dag.tasks].sort((a, b) => compare(a.taskId, b.taskId)).map(serializeTask),
    taskGroups: serializeGroups(dag),
  };
}

export function serializeTask(task: BaseOperator): SerializedTask {
  const s = task.settings;
  return {
    taskId: task.taskId,
    operator: task.operatorName,
    upstream: [...task.upstreamTaskIds].sort(compare),
    downstream: [...task.downstreamTaskIds].sort(compare),
    triggerRule: s.triggerRule,
    retries: s.retries,
    retryDelaySeconds: s.retryDelaySeconds,
    retryExponentialBackoff: s.retryExponentialBackoff,
    maxRetryDelaySeconds: s.maxRetryDelaySeconds,
    executionTimeoutSeconds: s.executionTimeoutSeconds,
    dependsOnPast: s.dependsOnPast,
    waitForDownstream: s.waitForDownstream,
    pool: s.pool,
    poolSlots: s.poolSlots,
    priorityWeight: s.priorityWeight,
    weightRule: s.weightRule,
    queue: s.queue,
    executor: s.executor,
    isolation: s.isolation,
    owner: s.owner,
    email: [...s.email],
    emailOnFailure: s.emailOnFailure,
    emailOnRetry: s.emailOnRetry,
    templateFields: [...task.templateFields],
    templateFieldValues: Object.fromEntries(task.templateFields.map((field) => [field, toJsonSafe((task as unknown as Record<string, unknown>)[field])])),
    templateExt: [...task.templateExt],
    group: task.group,
    isBranch: task.isBranch,
    isShortCircuit: task.isShortCircuit,
    sensor: task.sensor,
    callbacks: {
      onSuccess: s.callbacks.onSuccess.length > 0,
      onFailure: s.callbacks.onFailure.length > 0,
      onRetry: s.callbacks.onRetry.length > 0,
      onExecute: s.callbacks.onExecute.length > 0,
    },
    xcomInputs: [...new Set(task.xcomInputs)].sort(compare),
    doc: s.doc,
    uiColor: task.uiColor,
  };
}

function serializeGroups(dag: SerializableDag): SerializedTaskGroup[] {
  return [...dag.taskGroups]
    .sort((a, b) => compare(a.groupId, b.groupId))
    .map((group) => ({
      groupId: group.groupId,
      parent: group.parent?.groupId ?? null,
      tooltip: group.tooltip,
      children: [
        ...dag.tasks.filter((task) => task.group === group.groupId).map((task) => task.taskId),
        ...dag.taskGroups.filter((child) => child.parent === group).map((child) => child.groupId),
      ].sort(compare),
    }));
}

/**
 * Template field values are for display: anything that is not JSON (functions, class instances,
 * undefined) is shown as text rather than breaking serialization.
 */
export function toJsonSafe(value: unknown, depth = 0): JsonValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (value instanceof Date) return value.toISOString();
  if (depth > 20) return '[too deep]';
  if (Array.isArray(value)) return value.map((item) => toJsonSafe(item, depth + 1));
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, toJsonSafe(item, depth + 1)]));
  }
  if (typeof value === 'function') return `<function ${value.name || 'anonymous'}>`;
  return String(value);
}

/** Code-unit order, independent of the machine's locale, so hashes match across hosts. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
