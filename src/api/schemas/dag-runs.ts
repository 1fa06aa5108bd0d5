import { Type, type Static } from 'typebox';
import { DAG_RUN_STATES, DAG_RUN_TYPES } from '../../contracts/states.ts';
import type { DagRun } from '../../store/index.ts';
import { Id, IsoDate, OneOf, iso, JsonObjectSchema, Nullable, NullableIsoDate, PageQuery, Text } from './common.ts';

export const DagRunStateSchema = OneOf(DAG_RUN_STATES);

export const DagRunSchema = Type.Object(
  {
    dag_id: Type.String(),
    run_id: Type.String(),
    run_type: OneOf(DAG_RUN_TYPES),
    state: DagRunStateSchema,
    logical_date: NullableIsoDate,
    data_interval_start: NullableIsoDate,
    data_interval_end: NullableIsoDate,
    run_after: IsoDate,
    queued_at: NullableIsoDate,
    start_date: NullableIsoDate,
    end_date: NullableIsoDate,
    conf: JsonObjectSchema,
    note: Nullable(Type.String()),
    dag_version_hash: Type.String(),
    triggered_by: Type.String(),
    clear_number: Type.Integer(),
  },
  { $id: 'DagRun' },
);
export type DagRunJson = Static<typeof DagRunSchema>;

export const DagRunCollection = Type.Object({ dag_runs: Type.Array(Type.Ref('DagRun')), total_entries: Type.Integer() }, { $id: 'DagRunCollection' });

export const ClearPlanSchema = Type.Object(
  {
    dry_run: Type.Boolean(),
    dag_runs: Type.Array(
      Type.Object({
        run_id: Type.String(),
        task_instances: Type.Array(Type.Object({ task_id: Type.String(), map_index: Type.Integer(), state: Type.String() })),
      }),
    ),
  },
  { $id: 'ClearPlan' },
);

export const dagRunSchemas = [DagRunSchema, DagRunCollection, ClearPlanSchema];

const runFilters = {
  ...PageQuery,
  state: Type.Optional(Type.Array(DagRunStateSchema, { maxItems: 4, description: 'Repeat to match any of several states' })),
  run_type: Type.Optional(Type.Array(OneOf(DAG_RUN_TYPES), { maxItems: 4 })),
  logical_date_gte: Type.Optional(IsoDate),
  logical_date_lte: Type.Optional(IsoDate),
  order_by: Type.Optional(OneOf(['-run_after', 'run_after'], { default: '-run_after' })),
};
export const ListDagRunsQuery = Type.Object(runFilters);
export const ListAllDagRunsQuery = Type.Object({ ...runFilters, dag_id: Type.Optional(Id) });

export const DagRunParams = Type.Object({ dag_id: Id, run_id: Id });

export const TriggerDagRunBody = Type.Object(
  {
    dag_run_id: Type.Optional(Id),
    logical_date: Type.Optional(IsoDate),
    conf: Type.Optional(JsonObjectSchema),
    note: Type.Optional(Nullable(Text(10_000))),
  },
  { additionalProperties: false },
);

export const PatchDagRunBody = Type.Object(
  { state: OneOf(['success', 'failed'] as const, { description: 'Mark the run, and its tasks that did not finish that way, success or failed' }) },
  { additionalProperties: false },
);

export const ClearDagRunBody = Type.Object(
  { dry_run: Type.Optional(Type.Boolean({ default: true })), only_failed: Type.Optional(Type.Boolean({ default: false })) },
  { additionalProperties: false },
);

export function toDagRunJson(run: DagRun): DagRunJson {
  return {
    dag_id: run.dagId,
    run_id: run.runId,
    run_type: run.runType,
    state: run.state,
    logical_date: iso(run.logicalDate),
    data_interval_start: iso(run.dataIntervalStart),
    data_interval_end: iso(run.dataIntervalEnd),
    run_after: new Date(run.runAfter).toISOString(),
    queued_at: iso(run.queuedAt),
    start_date: iso(run.startDate),
    end_date: iso(run.endDate),
    conf: run.conf,
    note: run.note,
    dag_version_hash: run.dagVersionHash,
    triggered_by: run.triggeredBy,
    clear_number: run.clearNumber,
  };
}
