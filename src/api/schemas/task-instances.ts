import { Type, type Static } from 'typebox';
import { TASK_INSTANCE_STATES } from '../../contracts/states.ts';
import type { TaskInstance, TaskInstanceTry } from '../../store/index.ts';
import { Id, IsoDate, OneOf, iso, MapIndex, Nullable, NullableIsoDate, PageQuery } from './common.ts';

export const TaskInstanceStateSchema = OneOf(TASK_INSTANCE_STATES);

export const TaskInstanceSchema = Type.Object(
  {
    dag_id: Type.String(),
    run_id: Type.String(),
    task_id: Type.String(),
    map_index: Type.Integer(),
    try_number: Type.Integer(),
    max_tries: Type.Integer(),
    state: TaskInstanceStateSchema,
    start_date: NullableIsoDate,
    end_date: NullableIsoDate,
    duration: Nullable(Type.Number({ description: 'Seconds' })),
    hostname: Type.String(),
    pid: Nullable(Type.Integer()),
    pool: Type.String(),
    pool_slots: Type.Integer(),
    queue: Type.String(),
    priority_weight: Type.Integer(),
    operator: Type.String(),
    executor: Nullable(Type.String()),
    queued_at: NullableIsoDate,
    scheduled_at: NullableIsoDate,
    next_attempt_at: NullableIsoDate,
    last_heartbeat_at: NullableIsoDate,
    dag_version_hash: Type.String(),
    note: Nullable(Type.String()),
  },
  { $id: 'TaskInstance' },
);
export type TaskInstanceJson = Static<typeof TaskInstanceSchema>;

export const TaskInstanceCollection = Type.Object(
  { task_instances: Type.Array(Type.Ref('TaskInstance')), total_entries: Type.Integer() },
  { $id: 'TaskInstanceCollection' },
);

export const TaskInstanceTrySchema = Type.Object(
  {
    task_id: Type.String(),
    map_index: Type.Integer(),
    try_number: Type.Integer(),
    state: TaskInstanceStateSchema,
    start_date: NullableIsoDate,
    end_date: NullableIsoDate,
    duration: Nullable(Type.Number({ description: 'Seconds' })),
    hostname: Type.String(),
    pid: Nullable(Type.Integer()),
    executor: Nullable(Type.String()),
    pool: Type.String(),
    queue: Type.String(),
    operator: Type.String(),
    error: Nullable(Type.Object({ code: Type.String(), message: Type.String(), hint: Type.Optional(Type.String()) })),
  },
  { $id: 'TaskInstanceTry' },
);
export type TaskInstanceTryJson = Static<typeof TaskInstanceTrySchema>;

export const TaskInstanceTryCollection = Type.Object({ tries: Type.Array(Type.Ref('TaskInstanceTry')), total_entries: Type.Integer() }, { $id: 'TaskInstanceTryCollection' });

export const RenderedFields = Type.Object(
  { task_id: Type.String(), map_index: Type.Integer(), try_number: Type.Integer(), rendered_fields: Nullable(Type.Record(Type.String(), Type.Unknown())) },
  { $id: 'RenderedFields' },
);

export const TaskStateChanges = Type.Object(
  { dry_run: Type.Boolean(), task_instances: Type.Array(Type.Object({ task_id: Type.String(), previous_state: Type.String() })) },
  { $id: 'TaskStateChanges' },
);

export const taskInstanceSchemas = [TaskInstanceSchema, TaskInstanceCollection, TaskInstanceTrySchema, TaskInstanceTryCollection, RenderedFields, TaskStateChanges];

export const TaskInstanceParams = Type.Object({ dag_id: Id, run_id: Id, task_id: Id });
export const MapIndexQuery = Type.Object({ map_index: Type.Optional(MapIndex) });
export const RenderedFieldsQuery = Type.Object({ map_index: Type.Optional(MapIndex), try_number: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })) });

export const ListAllTaskInstancesQuery = Type.Object({
  ...PageQuery,
  dag_id: Type.Optional(Id),
  run_id: Type.Optional(Id),
  task_id: Type.Optional(Id),
  state: Type.Optional(Type.Array(TaskInstanceStateSchema, { maxItems: 13 })),
  start_date_gte: Type.Optional(IsoDate),
  start_date_lte: Type.Optional(IsoDate),
});

const relatives = {
  include_upstream: Type.Optional(Type.Boolean({ default: false })),
  include_downstream: Type.Optional(Type.Boolean({ default: false })),
};

export const ClearTaskInstancesBody = Type.Object(
  {
    task_ids: Type.Optional(Type.Array(Id, { maxItems: 10_000 })),
    task_regex: Type.Optional(Type.String({ maxLength: 1000 })),
    ...relatives,
    dag_run_id: Type.Optional(Id),
    start_date: Type.Optional(IsoDate),
    end_date: Type.Optional(IsoDate),
    only_failed: Type.Optional(Type.Boolean({ default: false })),
    dry_run: Type.Optional(Type.Boolean({ default: true, description: 'Default true: only preview what would be cleared' })),
  },
  { additionalProperties: false },
);

export const SetTaskStateBody = Type.Object(
  { ...relatives, state: OneOf(['success', 'failed', 'skipped'] as const), dry_run: Type.Optional(Type.Boolean({ default: false })) },
  { additionalProperties: false },
);

function seconds(ms: number | null): number | null {
  return ms === null ? null : ms / 1000;
}

export function toTaskInstanceJson(ti: TaskInstance): TaskInstanceJson {
  return {
    dag_id: ti.dagId,
    run_id: ti.runId,
    task_id: ti.taskId,
    map_index: ti.mapIndex,
    try_number: ti.tryNumber,
    max_tries: ti.maxTries,
    state: ti.state,
    start_date: iso(ti.startDate),
    end_date: iso(ti.endDate),
    duration: seconds(ti.durationMs),
    hostname: ti.hostname,
    pid: ti.pid,
    pool: ti.pool,
    pool_slots: ti.poolSlots,
    queue: ti.queue,
    priority_weight: ti.priorityWeight,
    operator: ti.operator,
    executor: ti.executor,
    queued_at: iso(ti.queuedAt),
    scheduled_at: iso(ti.scheduledAt),
    next_attempt_at: iso(ti.nextAttemptAt),
    last_heartbeat_at: iso(ti.lastHeartbeatAt),
    dag_version_hash: ti.dagVersionHash,
    note: ti.note,
  };
}

export function toTryJson(attempt: TaskInstanceTry): TaskInstanceTryJson {
  const error = attempt.error;
  return {
    task_id: attempt.taskId,
    map_index: attempt.mapIndex,
    try_number: attempt.tryNumber,
    state: attempt.state,
    start_date: iso(attempt.startDate),
    end_date: iso(attempt.endDate),
    duration: seconds(attempt.durationMs),
    hostname: attempt.hostname,
    pid: attempt.pid,
    executor: attempt.executor,
    pool: attempt.pool,
    queue: attempt.queue,
    operator: attempt.operator,
    // Only the code, message and hint: stacks stay in the log, never in API responses.
    error:
      error === null
        ? null
        : { code: String(error.code ?? 'INTERNAL'), message: String(error.message ?? ''), ...(typeof error.hint === 'string' ? { hint: error.hint } : {}) },
  };
}
