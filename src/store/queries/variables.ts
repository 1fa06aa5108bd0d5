import type { SecretBox } from '../secrets.ts';
import { toFlag, type Executor } from './executor.ts';
import { onConflictUpdate } from './upsert.ts';

export interface Variable {
  key: string;
  /** Decrypted when the variable is stored encrypted. */
  value: string;
  description: string | null;
  isEncrypted: boolean;
}

export interface SetVariable {
  key: string;
  value: string;
  description?: string | null;
  /** Store the value encrypted with the SecretBox (default false). */
  encrypt?: boolean;
}

/** One variable with its value decrypted, or null. */
export async function getVariable(db: Executor, secrets: SecretBox, key: string): Promise<Variable | null> {
  const row = await db.selectFrom('variable').selectAll().where('key', '=', key).executeTakeFirst();
  if (row === undefined) return null;
  return { key: row.key, value: row.is_encrypted === 1 ? secrets.decrypt(row.val) : row.val, description: row.description, isEncrypted: row.is_encrypted === 1 };
}

/** Creates or replaces a variable, encrypting its value when asked. */
export async function setVariable(db: Executor, secrets: SecretBox, variable: SetVariable): Promise<void> {
  const encrypt = variable.encrypt ?? false;
  const values = {
    val: encrypt ? secrets.encrypt(variable.value) : variable.value,
    description: variable.description ?? null,
    is_encrypted: toFlag(encrypt),
  };
  await onConflictUpdate(db, db.insertInto('variable').values({ key: variable.key, ...values }), ['key'], values).execute();
}

/** Deletes a variable; false when it did not exist. */
export async function deleteVariable(db: Executor, key: string): Promise<boolean> {
  const result = await db.deleteFrom('variable').where('key', '=', key).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** A variable as listings show it: encrypted values stay hidden (listing never decrypts). */
export interface VariableSummary {
  key: string;
  /** The value of a plain variable; null for an encrypted one. */
  value: string | null;
  description: string | null;
  isEncrypted: boolean;
}

/** Every variable by key; encrypted values are not decrypted. */
export async function listVariables(db: Executor): Promise<VariableSummary[]> {
  const rows = await db.selectFrom('variable').selectAll().orderBy('key').execute();
  return rows.map((row) => ({ key: row.key, value: row.is_encrypted === 1 ? null : row.val, description: row.description, isEncrypted: row.is_encrypted === 1 }));
}
