import { UpdraftError } from '../contracts/errors.ts';
import type { Store } from '../store/index.ts';
import { getLiveApiToken, insertApiToken, touchApiToken } from '../store/queries/api-tokens.ts';
import { getUser, type User } from '../store/queries/users.ts';
import { newSecret, secretHash } from './secret-token.ts';

/** Prefix that makes Updraft tokens recognisable to secret scanners. */
const TOKEN_PREFIX = 'updr_';

/** Creates a bearer token for a user; the token is returned once and only its hash is stored. */
export async function createApiToken(store: Store, options: { username: string; name: string; expiresAt: number | null; now: number }): Promise<string> {
  if (!/^[\w.-]{1,64}$/.test(options.name)) {
    throw new UpdraftError('INVALID_ARGUMENT', `Invalid token name "${options.name}"`, { hint: 'Use 1-64 letters, digits, _ . or -', details: { field: 'name' } });
  }
  const token = `${TOKEN_PREFIX}${newSecret()}`;
  const created = await insertApiToken(store.db, secretHash(token), { username: options.username, name: options.name, createdAt: options.now, expiresAt: options.expiresAt });
  if (!created) throw new UpdraftError('TOKEN_EXISTS', `User "${options.username}" already has a token named "${options.name}"`, { hint: 'Pick another name' });
  return token;
}

/** The user a bearer token belongs to, or null when the token is unknown or expired. */
export async function resolveApiToken(store: Store, token: string, now: number): Promise<User | null> {
  if (!token.startsWith(TOKEN_PREFIX)) return null;
  const hash = secretHash(token);
  const stored = await getLiveApiToken(store.db, hash, now);
  if (stored === null) return null;
  await touchApiToken(store.db, hash, now);
  return getUser(store.db, stored.username);
}
