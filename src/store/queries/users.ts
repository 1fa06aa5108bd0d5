import type { Selectable } from 'kysely';
import type { UserAccountTable } from '../schema.ts';
import { isUniqueViolation, type Executor } from './executor.ts';

/** A user as the API shows it; the password hash stays in the store layer unless asked for. */
export interface User {
  username: string;
  role: string;
  firstName: string;
  lastName: string;
  email: string;
  createdAt: number;
  lastLogin: number | null;
}

export interface NewUser extends Omit<User, 'lastLogin'> {
  passwordHash: string;
}

/** Inserts a user; false when the username is taken. */
export async function insertUser(db: Executor, user: NewUser): Promise<boolean> {
  try {
    await db
      .insertInto('user_account')
      .values({
        username: user.username,
        password_hash: user.passwordHash,
        role: user.role,
        first_name: user.firstName,
        last_name: user.lastName,
        email: user.email,
        created_at: user.createdAt,
        last_login: null,
      })
      .execute();
    return true;
  } catch (error) {
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}

/** One user, or null. */
export async function getUser(db: Executor, username: string): Promise<User | null> {
  const row = await db.selectFrom('user_account').selectAll().where('username', '=', username).executeTakeFirst();
  return row === undefined ? null : toUser(row);
}

/** A user with the hash to verify a password against (login only), or null. */
export async function getUserCredentials(db: Executor, username: string): Promise<{ user: User; passwordHash: string } | null> {
  const row = await db.selectFrom('user_account').selectAll().where('username', '=', username).executeTakeFirst();
  return row === undefined ? null : { user: toUser(row), passwordHash: row.password_hash };
}

/** Every user by username. */
export async function listUsers(db: Executor): Promise<User[]> {
  const rows = await db.selectFrom('user_account').selectAll().orderBy('username').execute();
  return rows.map(toUser);
}

/** Deletes a user (and, by cascade, their sessions and tokens); false when unknown. */
export async function deleteUser(db: Executor, username: string): Promise<boolean> {
  const result = await db.deleteFrom('user_account').where('username', '=', username).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** Replaces a user's password hash; false when unknown. */
export async function setUserPasswordHash(db: Executor, username: string, passwordHash: string): Promise<boolean> {
  const result = await db.updateTable('user_account').set({ password_hash: passwordHash }).where('username', '=', username).executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Stamps a successful login. */
export async function recordLogin(db: Executor, username: string, now: number): Promise<void> {
  await db.updateTable('user_account').set({ last_login: now }).where('username', '=', username).execute();
}

function toUser(row: Selectable<UserAccountTable>): User {
  return {
    username: row.username,
    role: row.role,
    firstName: row.first_name,
    lastName: row.last_name,
    email: row.email,
    createdAt: row.created_at,
    lastLogin: row.last_login,
  };
}
