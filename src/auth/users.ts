import { UpdraftError } from '../contracts/errors.ts';
import type { Store } from '../store/index.ts';
import { deleteSessionsOf } from '../store/queries/sessions.ts';
import { deleteUser, getUser, insertUser, setUserPasswordHash, type User } from '../store/queries/users.ts';
import { hashPassword } from './password.ts';
import { isRole, ROLES } from './roles.ts';

export interface CreateUserInput {
  username: string;
  password: string;
  role: string;
  firstName?: string;
  lastName?: string;
  email?: string;
  now: number;
}

const USERNAME = /^[A-Za-z0-9_.@-]{1,64}$/;
export const MIN_PASSWORD_LENGTH = 8;

/** Creates a user with a hashed password; what `updraft users create` and `POST /users` call. */
export async function createUser(store: Store, input: CreateUserInput): Promise<User> {
  if (!USERNAME.test(input.username)) {
    throw new UpdraftError('INVALID_ARGUMENT', `Invalid username "${input.username}"`, {
      hint: 'Use 1-64 letters, digits, _ . @ or -',
      details: { field: 'username' },
    });
  }
  if (!isRole(input.role)) {
    throw new UpdraftError('INVALID_ARGUMENT', `Unknown role "${input.role}"`, { hint: `Use one of ${ROLES.join(', ')}`, details: { field: 'role' } });
  }
  assertPasswordAcceptable(input.password);
  const user: User = {
    username: input.username,
    role: input.role,
    firstName: input.firstName ?? '',
    lastName: input.lastName ?? '',
    email: input.email ?? '',
    createdAt: input.now,
    lastLogin: null,
  };
  if (!(await insertUser(store.db, { ...user, passwordHash: await hashPassword(input.password) }))) {
    throw new UpdraftError('USER_EXISTS', `User "${input.username}" already exists`, { hint: 'Pick another username or reset the password' });
  }
  return user;
}

/** Sets a new password and ends the user's browser sessions (API tokens stay valid). */
export async function resetPassword(store: Store, username: string, password: string): Promise<void> {
  assertPasswordAcceptable(password);
  if (!(await setUserPasswordHash(store.db, username, await hashPassword(password)))) throw userNotFound(username);
  await deleteSessionsOf(store.db, username);
}

/** Deletes a user with their sessions and tokens. */
export async function removeUser(store: Store, username: string): Promise<void> {
  if (!(await deleteUser(store.db, username))) throw userNotFound(username);
}

/** A user, or USER_NOT_FOUND. */
export async function requireUser(store: Store, username: string): Promise<User> {
  const user = await getUser(store.db, username);
  if (user === null) throw userNotFound(username);
  return user;
}

function assertPasswordAcceptable(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH || password.length > 1024) {
    throw new UpdraftError('INVALID_ARGUMENT', `Passwords must have ${MIN_PASSWORD_LENGTH} to 1024 characters`, {
      hint: 'Choose a longer password',
      details: { field: 'password' },
    });
  }
}

function userNotFound(username: string): UpdraftError {
  return new UpdraftError('USER_NOT_FOUND', `No user "${username}"`, { hint: 'List users with `updraft users list`', details: { username } });
}
