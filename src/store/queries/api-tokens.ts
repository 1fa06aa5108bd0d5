import { isUniqueViolation, type Executor } from './executor.ts';

/** An API bearer token's metadata; the token itself is never stored, only its sha256. */
export interface ApiToken {
  username: string;
  name: string;
  createdAt: number;
  expiresAt: number | null;
  lastUsedAt: number | null;
}

/** Inserts a token; false when the user already has a token of that name. */
export async function insertApiToken(db: Executor, tokenHash: string, token: Omit<ApiToken, 'lastUsedAt'>): Promise<boolean> {
  try {
    await db
      .insertInto('api_token')
      .values({ token_hash: tokenHash, username: token.username, name: token.name, created_at: token.createdAt, expires_at: token.expiresAt, last_used_at: null })
      .execute();
    return true;
  } catch (error) {
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}

/** The unexpired token with this hash, or null. */
export async function getLiveApiToken(db: Executor, tokenHash: string, now: number): Promise<ApiToken | null> {
  const row = await db
    .selectFrom('api_token')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
    .executeTakeFirst();
  return row === undefined ? null : { username: row.username, name: row.name, createdAt: row.created_at, expiresAt: row.expires_at, lastUsedAt: row.last_used_at };
}

/** Stamps the token's last use (shown to its owner). */
export async function touchApiToken(db: Executor, tokenHash: string, now: number): Promise<void> {
  await db.updateTable('api_token').set({ last_used_at: now }).where('token_hash', '=', tokenHash).execute();
}

/** A user's tokens by name. */
export async function listApiTokens(db: Executor, username: string): Promise<ApiToken[]> {
  const rows = await db.selectFrom('api_token').selectAll().where('username', '=', username).orderBy('name').execute();
  return rows.map((row) => ({ username: row.username, name: row.name, createdAt: row.created_at, expiresAt: row.expires_at, lastUsedAt: row.last_used_at }));
}

/** Revokes a token by owner and name; false when unknown. */
export async function deleteApiToken(db: Executor, username: string, name: string): Promise<boolean> {
  const result = await db.deleteFrom('api_token').where('username', '=', username).where('name', '=', name).executeTakeFirst();
  return result.numDeletedRows > 0n;
}
