import type { Executor } from './executor.ts';

/** A live browser session (looked up by the sha256 of the cookie's id). */
export interface UserSession {
  username: string;
  csrfToken: string;
  createdAt: number;
  expiresAt: number;
}

export async function insertSession(db: Executor, sessionHash: string, session: UserSession): Promise<void> {
  await db
    .insertInto('user_session')
    .values({ session_hash: sessionHash, username: session.username, csrf_token: session.csrfToken, created_at: session.createdAt, expires_at: session.expiresAt })
    .execute();
}

/** The session with this hash if it has not expired at `now`, or null. */
export async function getLiveSession(db: Executor, sessionHash: string, now: number): Promise<UserSession | null> {
  const row = await db.selectFrom('user_session').selectAll().where('session_hash', '=', sessionHash).where('expires_at', '>', now).executeTakeFirst();
  return row === undefined ? null : { username: row.username, csrfToken: row.csrf_token, createdAt: row.created_at, expiresAt: row.expires_at };
}

export async function deleteSession(db: Executor, sessionHash: string): Promise<void> {
  await db.deleteFrom('user_session').where('session_hash', '=', sessionHash).execute();
}

/** Ends every session of a user (after a password reset). */
export async function deleteSessionsOf(db: Executor, username: string): Promise<void> {
  await db.deleteFrom('user_session').where('username', '=', username).execute();
}

/** Removes expired sessions; returns how many. */
export async function deleteExpiredSessions(db: Executor, now: number): Promise<number> {
  const result = await db.deleteFrom('user_session').where('expires_at', '<=', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}
