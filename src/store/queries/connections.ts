import type { Selectable } from 'kysely';
import type { ConnectionData } from '../../contracts/connection.ts';
import type { JsonObject } from '../../contracts/json.ts';
import type { ConnectionTable } from '../schema.ts';
import type { SecretBox } from '../secrets.ts';
import type { Executor } from './executor.ts';
import { onConflictUpdate } from './upsert.ts';

/** A connection as listings show it: no password and no extra (both are stored encrypted; listing never decrypts). */
export type ConnectionSummary = Omit<ConnectionData, 'password' | 'extra'> & { hasPassword: boolean; hasExtra: boolean };

/** One connection with its password and extra decrypted, or null. */
export async function getConnection(db: Executor, secrets: SecretBox, connId: string): Promise<ConnectionData | null> {
  const row = await db.selectFrom('connection').selectAll().where('conn_id', '=', connId).executeTakeFirst();
  if (row === undefined) return null;
  return {
    ...toPlainFields(row),
    password: row.password === null ? null : secrets.decrypt(row.password),
    extra: row.extra === null ? {} : (JSON.parse(secrets.decrypt(row.extra)) as JsonObject),
  };
}

/** Creates or replaces a connection; the password and extra are stored encrypted. */
export async function setConnection(db: Executor, secrets: SecretBox, connection: ConnectionData): Promise<void> {
  const values = {
    conn_type: connection.connType,
    description: connection.description,
    host: connection.host,
    schema: connection.schema,
    login: connection.login,
    password: connection.password === null ? null : secrets.encrypt(connection.password),
    port: connection.port,
    extra: Object.keys(connection.extra).length === 0 ? null : secrets.encrypt(JSON.stringify(connection.extra)),
  };
  await onConflictUpdate(db, db.insertInto('connection').values({ conn_id: connection.connId, ...values }), ['conn_id'], values).execute();
}

/** Deletes a connection; false when it did not exist. */
export async function deleteConnection(db: Executor, connId: string): Promise<boolean> {
  const result = await db.deleteFrom('connection').where('conn_id', '=', connId).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** Every connection by id, without password and extra. */
export async function listConnections(db: Executor): Promise<ConnectionSummary[]> {
  const rows = await db.selectFrom('connection').selectAll().orderBy('conn_id').execute();
  return rows.map((row) => ({ ...toPlainFields(row), hasPassword: row.password !== null, hasExtra: row.extra !== null }));
}

function toPlainFields(row: Selectable<ConnectionTable>): Omit<ConnectionData, 'password' | 'extra'> {
  return {
    connId: row.conn_id,
    connType: row.conn_type,
    description: row.description,
    host: row.host,
    schema: row.schema,
    login: row.login,
    port: row.port,
  };
}
