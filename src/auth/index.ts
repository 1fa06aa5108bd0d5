/** Users, roles, password hashing, sessions and API tokens: shared by the API server and the CLI. */
export { ROLES, isRole, roleAtLeast, type Role } from './roles.ts';
export { hashPassword, verifyPassword } from './password.ts';
export { LoginThrottle } from './login-throttle.ts';
export { checkLogin } from './login.ts';
export { createUser, resetPassword, removeUser, requireUser, MIN_PASSWORD_LENGTH, type CreateUserInput } from './users.ts';
export { startSession, resolveSession, endSession, type StartedSession } from './sessions.ts';
export { createApiToken, resolveApiToken } from './tokens.ts';
export { ensureStandaloneAdmin, STANDALONE_ADMIN, STANDALONE_PASSWORD_FILE } from './standalone-admin.ts';
export { listUsers, getUser, type User } from '../store/queries/users.ts';
export { listApiTokens, deleteApiToken, type ApiToken } from '../store/queries/api-tokens.ts';
