import type { Store } from '../store/index.ts';
import { deleteExpiredSessions, deleteSession, getLiveSession, insertSession } from '../store/queries/sessions.ts';
import { newSecret, secretHash } from './secret-token.ts';

export interface StartedSession {
  /** Goes into the HTTP-only cookie; the store keeps only its hash. */
  sessionId: string;
  csrfToken: string;
  expiresAt: number;
}

/** Starts a browser session for a user who just logged in (and sweeps expired ones, so the table stays small). */
export async function startSession(store: Store, username: string, now: number, ttlMs: number): Promise<StartedSession> {
  await deleteExpiredSessions(store.db, now);
  const sessionId = newSecret();
  const csrfToken = newSecret();
  const expiresAt = now + ttlMs;
  await insertSession(store.db, secretHash(sessionId), { username, csrfToken, createdAt: now, expiresAt });
  return { sessionId, csrfToken, expiresAt };
}

/** The live session behind a cookie value, or null. */
export async function resolveSession(store: Store, sessionId: string, now: number): Promise<{ username: string; csrfToken: string } | null> {
  const session = await getLiveSession(store.db, secretHash(sessionId), now);
  return session === null ? null : { username: session.username, csrfToken: session.csrfToken };
}

export async function endSession(store: Store, sessionId: string): Promise<void> {
  await deleteSession(store.db, secretHash(sessionId));
}
