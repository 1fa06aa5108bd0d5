import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import { createApiToken, createUser, listUsers, removeUser, requireUser, resetPassword, ROLES } from '../../auth/index.ts';
import type { CliContext } from '../cli-context.ts';
import { printTable, println } from '../output.ts';

/** `updraft users create|list|delete|reset-password|create-token` (Airflow's `users` commands). */
export function registerUserCommands(program: Command, context: CliContext): void {
  const users = program.command('users').description('Manage the users of the API and web UI');

  users
    .command('create')
    .requiredOption('-u, --username <name>')
    .requiredOption('-r, --role <role>', `one of ${ROLES.join(', ')}`)
    .option('-p, --password <password>', 'default: a random password, printed once')
    .option('-f, --firstname <name>')
    .option('-l, --lastname <name>')
    .option('-e, --email <email>')
    .action((options: { username: string; role: string; password?: string; firstname?: string; lastname?: string; email?: string }) =>
      context.withStore(async (store) => {
        const password = options.password ?? generatedPassword();
        await createUser(store, {
          username: options.username,
          password,
          role: options.role,
          firstName: options.firstname ?? '',
          lastName: options.lastname ?? '',
          email: options.email ?? '',
          now: Date.now(),
        });
        println(`User ${options.username} created with role ${options.role}.`);
        if (options.password === undefined) println(`Password (shown once): ${password}`);
      }),
    );

  users
    .command('list')
    .option('--json', 'print JSON')
    .action((options: { json?: boolean }) =>
      context.withStore(async (store) => {
        const rows = await listUsers(store.db);
        printTable(
          rows.map((user) => ({ username: user.username, role: user.role, email: user.email, last_login: user.lastLogin })),
          ['username', 'role', 'email', 'last_login'],
          options.json,
        );
      }),
    );

  users
    .command('delete')
    .requiredOption('-u, --username <name>')
    .action((options: { username: string }) =>
      context.withStore(async (store) => {
        await removeUser(store, options.username);
        println(`User ${options.username} deleted.`);
      }),
    );

  users
    .command('reset-password')
    .requiredOption('-u, --username <name>')
    .option('-p, --password <password>', 'default: a random password, printed once')
    .action((options: { username: string; password?: string }) =>
      context.withStore(async (store) => {
        const password = options.password ?? generatedPassword();
        await resetPassword(store, options.username, password);
        println(`Password of ${options.username} reset; their browser sessions were ended.`);
        if (options.password === undefined) println(`Password (shown once): ${password}`);
      }),
    );

  users
    .command('create-token')
    .description('Create an API bearer token for a user (printed once)')
    .requiredOption('-u, --username <name>')
    .requiredOption('-n, --name <name>', 'a label to tell the token apart')
    .option('--expires-in-days <days>', 'default: never expires')
    .action((options: { username: string; name: string; expiresInDays?: string }) =>
      context.withStore(async (store) => {
        await requireUser(store, options.username);
        const now = Date.now();
        const days = options.expiresInDays === undefined ? null : Number(options.expiresInDays);
        const expiresAt = days === null || !Number.isFinite(days) ? null : now + days * 86_400_000;
        println(await createApiToken(store, { username: options.username, name: options.name, expiresAt, now }));
      }),
    );
}

function generatedPassword(): string {
  return randomBytes(18).toString('base64url');
}
