import type { Command } from 'commander';
import { UpdraftError } from '../../contracts/errors.ts';
import { migrate, pendingMigrations, resetDatabase } from '../../store/index.ts';
import type { CliContext } from '../cli-context.ts';
import { println } from '../output.ts';

export function registerDbCommands(program: Command, context: CliContext): void {
  const db = program.command('db').description('Manage the metadata database');

  db.command('migrate')
    .description('Create or upgrade the schema to the current version')
    .action(() =>
      context.withStore(
        async (store) => {
          const { applied } = await migrate(store.db, { defaultPoolSlots: context.config.core.default_pool_slots });
          println(applied.length === 0 ? 'Database is up to date.' : `Applied ${applied.length} migration(s): ${applied.join(', ')}`);
        },
        { migrate: false },
      ),
    );

  db.command('check')
    .description('Exit non-zero unless the schema is up to date')
    .action(() =>
      context.withStore(
        async (store) => {
          const pending = await pendingMigrations(store.db);
          if (pending.length > 0) {
            throw new UpdraftError('DB_NOT_MIGRATED', `${pending.length} migration(s) pending: ${pending.join(', ')}`, {
              hint: 'Run `updraft db migrate`',
            });
          }
          println('Database is up to date.');
        },
        { migrate: false },
      ),
    );

  db.command('reset')
    .description('Drop every Updraft table and recreate the schema (all metadata is lost)')
    .option('-y, --yes', 'do not ask for confirmation')
    .action((options: { yes?: boolean }) => {
      if (options.yes !== true) {
        throw new UpdraftError('INVALID_ARGUMENT', 'db reset deletes all metadata', { hint: 'Run `updraft db reset --yes` to confirm' });
      }
      return context.withStore(
        async (store) => {
          await resetDatabase(store.db);
          await migrate(store.db, { defaultPoolSlots: context.config.core.default_pool_slots });
          println('Database reset.');
        },
        { migrate: false },
      );
    });
}
