import { Type } from 'typebox';
import { IsoDate, OneOf, Nullable, NullableIsoDate } from './common.ts';

/** Health, version, import errors, XCom, grid: read-only views. */
const ComponentHealth = Type.Object({ status: OneOf(['healthy', 'unhealthy'] as const), latest_heartbeat: NullableIsoDate });

export const Health = Type.Object(
  {
    metadatabase: Type.Object({ status: OneOf(['healthy', 'unhealthy'] as const) }),
    scheduler: ComponentHealth,
    dag_processor: ComponentHealth,
    triggerer: Type.Null({ description: 'No triggerer yet' }),
  },
  { $id: 'Health' },
);

export const Version = Type.Object({ version: Type.String(), git_version: Nullable(Type.String()) }, { $id: 'Version' });

export const ImportErrorSchema = Type.Object(
  { filename: Type.String(), code: Type.String(), message: Type.String(), stacktrace: Type.String(), timestamp: IsoDate },
  { $id: 'ImportError' },
);
export const ImportErrorCollection = Type.Object({ import_errors: Type.Array(Type.Ref('ImportError')), total_entries: Type.Integer() }, { $id: 'ImportErrorCollection' });

export const XComSchema = Type.Object(
  { dag_id: Type.String(), run_id: Type.String(), task_id: Type.String(), map_index: Type.Integer(), key: Type.String(), value: Type.Unknown({ description: 'Any JSON value' }), timestamp: IsoDate },
  { $id: 'XCom' },
);
export const XComCollection = Type.Object({ xcom_entries: Type.Array(Type.Ref('XCom')), total_entries: Type.Integer() }, { $id: 'XComCollection' });

export const Grid = Type.Object(
  {
    dag_id: Type.String(),
    task_ids: Type.Array(Type.String(), { description: 'Task ids in DAG order; every run lists one state per task id, aligned' }),
    states: Type.Array(Type.String(), { description: 'Legend of the state codes: code i means states[i]' }),
    dag_runs: Type.Array(
      Type.Object({
        run_id: Type.String(),
        run_type: Type.String(),
        state: Type.String(),
        logical_date: NullableIsoDate,
        run_after: IsoDate,
        start_date: NullableIsoDate,
        end_date: NullableIsoDate,
        task_states: Type.Array(Type.Integer(), { description: 'Index into states per task id; -1 when the run has no such task instance' }),
      }),
    ),
    total_entries: Type.Integer(),
  },
  { $id: 'Grid' },
);

export const monitoringSchemas = [Health, Version, ImportErrorSchema, ImportErrorCollection, XComSchema, XComCollection, Grid];
