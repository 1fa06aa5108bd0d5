import { Type, type Static } from 'typebox';
import type { Dag, DagVersion } from '../../store/index.ts';
import { Id, IsoDate, OneOf, iso, Nullable, NullableIsoDate, PageQuery, Text } from './common.ts';

export const DagSchema = Type.Object(
  {
    dag_id: Type.String(),
    fileloc: Type.String(),
    is_paused: Type.Boolean(),
    is_active: Type.Boolean(),
    last_parsed_at: IsoDate,
    owners: Type.Array(Type.String()),
    description: Nullable(Type.String()),
    timetable_summary: Type.String(),
    max_active_runs: Type.Integer(),
    max_active_tasks: Type.Integer(),
    latest_version_hash: Type.String(),
    next_dagrun_logical_date: NullableIsoDate,
    next_dagrun_data_interval_start: NullableIsoDate,
    next_dagrun_data_interval_end: NullableIsoDate,
    next_dagrun_create_after: NullableIsoDate,
    tags: Type.Array(Type.String()),
  },
  { $id: 'Dag' },
);
export type DagJson = Static<typeof DagSchema>;

export const DagCollection = Type.Object({ dags: Type.Array(Type.Ref('Dag')), total_entries: Type.Integer() }, { $id: 'DagCollection' });

export const DagVersionSchema = Type.Object(
  { dag_id: Type.String(), version_number: Type.Integer(), version_hash: Type.String(), fileloc: Type.String(), created_at: IsoDate },
  { $id: 'DagVersion' },
);
export type DagVersionJson = Static<typeof DagVersionSchema>;

export const DagVersionCollection = Type.Object({ versions: Type.Array(Type.Ref('DagVersion')), total_entries: Type.Integer() }, { $id: 'DagVersionCollection' });

export const DagDetails = Type.Object(
  {
    dag: Type.Ref('Dag'),
    version: Type.Ref('DagVersion'),
    serialized_dag: Type.Record(Type.String(), Type.Unknown(), { description: 'The SerializedDag document (src/contracts/serialized-dag.ts): tasks, edges, timetable, params' }),
  },
  { $id: 'DagDetails' },
);

export const DagSource = Type.Object(
  { dag_id: Type.String(), version_number: Type.Integer(), fileloc: Type.String(), content: Type.String() },
  { $id: 'DagSource' },
);

export const DAG_ORDERS = ['dag_id', '-dag_id', 'last_parsed_at', '-last_parsed_at', 'next_dagrun_create_after', '-next_dagrun_create_after'] as const;

export const ListDagsQuery = Type.Object({
  ...PageQuery,
  search: Type.Optional(Text(250)),
  tags: Type.Optional(Type.Array(Text(250), { maxItems: 50, description: 'DAGs carrying any of these tags (repeat the parameter)' })),
  paused: Type.Optional(Type.Boolean()),
  active: Type.Optional(Type.Boolean({ default: true, description: 'Default: only DAGs whose file still defines them' })),
  order_by: Type.Optional(OneOf(DAG_ORDERS, { default: 'dag_id' })),
});

export const DagIdParams = Type.Object({ dag_id: Id });
export const PatchDagBody = Type.Object({ is_paused: Type.Boolean() }, { additionalProperties: false });
export const SourceQuery = Type.Object({ version_number: Type.Optional(Type.Integer({ minimum: 1, maximum: 2_147_483_647, description: 'Default: the latest version' })) });

export const dagSchemas = [DagSchema, DagCollection, DagVersionSchema, DagVersionCollection, DagDetails, DagSource];

export function toDagJson(dag: Dag): DagJson {
  return {
    dag_id: dag.dagId,
    fileloc: dag.fileloc,
    is_paused: dag.isPaused,
    is_active: dag.isActive,
    last_parsed_at: new Date(dag.lastParsedAt).toISOString(),
    owners: dag.owners.split(',').map((owner) => owner.trim()).filter((owner) => owner !== ''),
    description: dag.description,
    timetable_summary: dag.timetableSummary,
    max_active_runs: dag.maxActiveRuns,
    max_active_tasks: dag.maxActiveTasks,
    latest_version_hash: dag.latestVersionHash,
    next_dagrun_logical_date: iso(dag.nextDagrunLogicalDate),
    next_dagrun_data_interval_start: iso(dag.nextDagrunDataIntervalStart),
    next_dagrun_data_interval_end: iso(dag.nextDagrunDataIntervalEnd),
    next_dagrun_create_after: iso(dag.nextDagrunCreateAfter),
    tags: dag.tags,
  };
}

export function toDagVersionJson(version: DagVersion): DagVersionJson {
  return {
    dag_id: version.dagId,
    version_number: version.versionNumber,
    version_hash: version.versionHash,
    fileloc: version.fileloc,
    created_at: new Date(version.createdAt).toISOString(),
  };
}
