import { Migrator, NO_MIGRATIONS, type Kysely, type Migration, type MigrationResultSet } from 'kysely';
import { UpdraftError } from '../../contracts/errors.ts';
import { ensureDefaultPool } from '../queries/pools.ts';
import type { Database } from '../schema.ts';
import { initialMigration } from './0001-initial.ts';

/**
 * Every migration, by name, in order. Listed statically (no folder scanning) so that the set is
 * the same in a bundle, a container and a test run. Append only: never rename or edit a released one.
 */
const MIGRATIONS: Record<string, Migration> = {
  '0001-initial': initialMigration,
};

export interface MigrateOptions {
  /** Slots of default_pool when it is created. Default 128 (core.default_pool_slots). */
  defaultPoolSlots?: number;
}

function migratorFor(db: Kysely<Database>): Migrator {
  return new Migrator({ db, provider: { getMigrations: async () => MIGRATIONS } });
}

/** Applies pending migrations and makes sure default_pool exists. Safe to run concurrently (Kysely takes a lock). */
export async function migrate(db: Kysely<Database>, options: MigrateOptions = {}): Promise<{ applied: string[] }> {
  const applied = applyOrThrow(await migratorFor(db).migrateToLatest(), 'apply');
  await ensureDefaultPool(db, options.defaultPoolSlots ?? 128);
  return { applied };
}

/** Names of the migrations not yet applied, for `updraft db check`. Creates nothing. */
export async function pendingMigrations(db: Kysely<Database>): Promise<string[]> {
  const migrations = await migratorFor(db).getMigrations();
  return migrations.filter((migration) => migration.executedAt === undefined).map((migration) => migration.name);
}

/** Drops every table (runs each migration down) and migrates again. Destroys all metadata. */
export async function resetDatabase(db: Kysely<Database>, options: MigrateOptions = {}): Promise<void> {
  applyOrThrow(await migratorFor(db).migrateTo(NO_MIGRATIONS), 'revert');
  await migrate(db, options);
}

function applyOrThrow(result: MigrationResultSet, verb: 'apply' | 'revert'): string[] {
  if (result.error !== undefined) {
    const failed = result.results?.find((migration) => migration.status === 'Error')?.migrationName ?? 'unknown';
    const reason = result.error instanceof Error ? result.error.message : String(result.error);
    throw new UpdraftError('DB_NOT_MIGRATED', `Could not ${verb} migration ${failed}: ${reason}`, {
      hint: 'Fix the cause above and run `updraft db migrate` again; migrations already applied are kept',
      details: { migration: failed },
      cause: result.error,
    });
  }
  return (result.results ?? []).filter((migration) => migration.status === 'Success').map((migration) => migration.migrationName);
}
