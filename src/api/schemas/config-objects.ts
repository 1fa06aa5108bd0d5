import { Type, type Static } from 'typebox';
import type { ConnectionSummary, Pool, VariableSummary } from '../../store/index.ts';
import { Id, Nullable, Text } from './common.ts';

/** Variables, connections and pools: the objects Op users manage. Secrets never leave the server. */
export const VariableSchema = Type.Object(
  {
    key: Type.String(),
    value: Nullable(Type.String({ description: 'null for an encrypted variable: secret values are never returned' })),
    description: Nullable(Type.String()),
    is_encrypted: Type.Boolean(),
  },
  { $id: 'Variable' },
);
export type VariableJson = Static<typeof VariableSchema>;
export const VariableCollection = Type.Object({ variables: Type.Array(Type.Ref('Variable')), total_entries: Type.Integer() }, { $id: 'VariableCollection' });
export const VariableBody = Type.Object(
  { key: Id, value: Text(1_000_000), description: Type.Optional(Nullable(Text(10_000))), is_encrypted: Type.Optional(Type.Boolean({ default: false })) },
  { additionalProperties: false },
);
export const VariablePatchBody = Type.Object(
  { value: Text(1_000_000), description: Type.Optional(Nullable(Text(10_000))), is_encrypted: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);

export const ConnectionSchema = Type.Object(
  {
    connection_id: Type.String(),
    conn_type: Type.String(),
    description: Nullable(Type.String()),
    host: Nullable(Type.String()),
    schema: Nullable(Type.String()),
    login: Nullable(Type.String()),
    port: Nullable(Type.Integer()),
    has_password: Type.Boolean({ description: 'The password itself is never returned' }),
    has_extra: Type.Boolean({ description: 'Extra may hold secrets and is never returned' }),
  },
  { $id: 'Connection' },
);
export type ConnectionJson = Static<typeof ConnectionSchema>;
export const ConnectionCollection = Type.Object({ connections: Type.Array(Type.Ref('Connection')), total_entries: Type.Integer() }, { $id: 'ConnectionCollection' });
const connectionFields = {
  conn_type: Type.String({ minLength: 1, maxLength: 250, pattern: '^[^\\u0000]*$' }),
  description: Type.Optional(Nullable(Text(10_000))),
  host: Type.Optional(Nullable(Text(10_000))),
  schema: Type.Optional(Nullable(Text(10_000))),
  login: Type.Optional(Nullable(Text(10_000))),
  password: Type.Optional(Nullable(Text(10_000))),
  port: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 65_535 }))),
  extra: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
};
export const ConnectionBody = Type.Object({ connection_id: Id, ...connectionFields }, { additionalProperties: false });
export const ConnectionPatchBody = Type.Object({ ...connectionFields, conn_type: Type.Optional(connectionFields.conn_type) }, { additionalProperties: false });

export const PoolSchema = Type.Object(
  {
    name: Type.String(),
    slots: Type.Integer(),
    description: Nullable(Type.String()),
    include_deferred: Type.Boolean(),
    running_slots: Type.Integer(),
    queued_slots: Type.Integer(),
    deferred_slots: Type.Integer(),
    occupied_slots: Type.Integer(),
    open_slots: Type.Integer(),
  },
  { $id: 'Pool' },
);
export type PoolJson = Static<typeof PoolSchema>;
export const PoolCollection = Type.Object({ pools: Type.Array(Type.Ref('Pool')), total_entries: Type.Integer() }, { $id: 'PoolCollection' });
const Slots = Type.Integer({ minimum: 0, maximum: 1_000_000 });
export const PoolBody = Type.Object(
  { name: Id, slots: Slots, description: Type.Optional(Nullable(Text(10_000))), include_deferred: Type.Optional(Type.Boolean({ default: false })) },
  { additionalProperties: false },
);
export const PoolPatchBody = Type.Object(
  { slots: Type.Optional(Slots), description: Type.Optional(Nullable(Text(10_000))), include_deferred: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);

export const KeyParams = Type.Object({ key: Id });
export const ConnectionParams = Type.Object({ connection_id: Id });
export const PoolParams = Type.Object({ pool_name: Id });

export const configObjectSchemas = [VariableSchema, VariableCollection, ConnectionSchema, ConnectionCollection, PoolSchema, PoolCollection];

export function toVariableJson(variable: VariableSummary): VariableJson {
  return { key: variable.key, value: variable.isEncrypted ? null : variable.value, description: variable.description, is_encrypted: variable.isEncrypted };
}

export function toConnectionJson(connection: ConnectionSummary): ConnectionJson {
  return {
    connection_id: connection.connId,
    conn_type: connection.connType,
    description: connection.description,
    host: connection.host,
    schema: connection.schema,
    login: connection.login,
    port: connection.port,
    has_password: connection.hasPassword,
    has_extra: connection.hasExtra,
  };
}

export function toPoolJson(pool: Pool): PoolJson {
  return {
    name: pool.name,
    slots: pool.slots,
    description: pool.description,
    include_deferred: pool.includeDeferred,
    running_slots: pool.runningSlots,
    queued_slots: pool.queuedSlots,
    deferred_slots: pool.deferredSlots,
    occupied_slots: pool.occupiedSlots,
    open_slots: pool.openSlots,
  };
}
