import { UpdraftError } from '../contracts/errors.ts';
import type { Store } from '../store/index.ts';
import { getUserCredentials, recordLogin, type User } from '../store/queries/users.ts';
import type { LoginThrottle } from './login-throttle.ts';
import { verifyPassword } from './password.ts';

/** A hash of a random password, verified against when the username is unknown so timing does not reveal which users exist. */
const DECOY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

/**
 * Checks a username and password, with per-username backoff after repeated failures.
 * Throws AUTH_RATE_LIMITED (with `retryAfterSeconds`) or AUTH_FAILED; never says which part was wrong.
 */
export async function checkLogin(store: Store, throttle: LoginThrottle, username: string, password: string, now: number): Promise<User> {
  const wait = throttle.waitFor(username, now);
  if (wait > 0) {
    const retryAfterSeconds = Math.ceil(wait / 1000);
    throw new UpdraftError('AUTH_RATE_LIMITED', `Too many failed logins for "${username}"; retry in ${retryAfterSeconds} s`, {
      hint: 'Wait, or ask an Admin to reset the password with `updraft users reset-password`',
      details: { retryAfterSeconds },
    });
  }
  const credentials = await getUserCredentials(store.db, username);
  const matches = await verifyPassword(password, credentials?.passwordHash ?? DECOY_HASH);
  if (credentials === null || !matches) {
    throttle.recordFailure(username, now);
    throw new UpdraftError('AUTH_FAILED', 'Wrong username or password', { hint: 'Check both and try again' });
  }
  throttle.recordSuccess(username);
  await recordLogin(store.db, username, now);
  return { ...credentials.user, lastLogin: now };
}
