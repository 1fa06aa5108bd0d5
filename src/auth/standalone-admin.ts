import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Store } from '../store/index.ts';
import { getUser } from '../store/queries/users.ts';
import { newSecret } from './secret-token.ts';
import { createUser } from './users.ts';

export const STANDALONE_ADMIN = 'admin';
export const STANDALONE_PASSWORD_FILE = 'standalone_admin_password.txt';

/**
 * As Airflow's standalone: the first time, creates user `admin` (role Admin) with a random password,
 * saved to `{home}/standalone_admin_password.txt` (mode 0600) and returned so it can be printed once.
 * Later calls create nothing (the password is in the file).
 */
export async function ensureStandaloneAdmin(store: Store, home: string): Promise<{ created: boolean; password?: string }> {
  if ((await getUser(store.db, STANDALONE_ADMIN)) !== null) return { created: false };
  const password = newSecret(18);
  const file = join(home, STANDALONE_PASSWORD_FILE);
  // Written first: a password that is lost before being saved would lock the owner out.
  writeFileSync(file, `${password}\n`, { mode: 0o600, flag: existsSync(file) ? 'w' : 'wx' });
  await createUser(store, { username: STANDALONE_ADMIN, password, role: 'Admin', now: Date.now() });
  return { created: true, password };
}
