import { Migrator, NO_MIGRATIONS, sql, type Kysely, type Migration, type MigrationResultSet } from 'kysely';
import { dialectOf } from '../dialects/dialect-name.ts';
import { UpdraftError } from '../../contracts/errors.ts';
import { ensureDefaultPool } from '../queries/pools.ts';
import type { Database } from '../schema.ts';
import { initialMigration } from './0001-initial.ts';
import { schedulerMigration } from './0002-scheduler.ts';
import { usersAndSessionsMigration } from './0003-users-and-sessions.ts';
import { runStateIndexMigration } from './0004-run-state-index.ts';
import { stateFirstIndexMigration } from './0005-state-first-index.ts';
import { scheduledClaimIndexMigration } from './0006-scheduled-claim-index.ts';
import { scheduledClaimPredicateMigration } from './0007-scheduled-claim-predicate.ts';
import { runKeyLookupsMigration } from './0008-run-key-lookups.ts';

/**
 * Every migration, by name, in order. Listed statically (no folder scanning) so that the set is
 * the same in a bundle, a container and a test run. Append only: never rename or edit a released one.
 */
export const MIGRATIONS: Record<string, Migration> = {
  '0001-initial': initialMigration,
  '0002-scheduler': schedulerMigration,
  '0003-users-and-sessions': usersAndSessionsMigration,
  '0004-run-state-index': runStateIndexMigration,
  '0005-state-first-index': stateFirstIndexMigration,
  '0006-scheduled-claim-index': scheduledClaimIndexMigration,
  '0007-scheduled-claim-predicate': scheduledClaimPredicateMigration,
  '0008-run-key-lookups': runKeyLookupsMigration,
};

export interface MigrateOptions {
  /** Slots of default_pool when it is created. Default 128 (core.default_pool_slots). */
  defaultPoolSlots?: number;
}

/**
 * On Postgres the migration tables are pinned to the current schema: Kysely otherwise looks for
 * them in every schema of the database and, finding another schema's, skips creating its own.
 */
async function migratorFor(db: Kysely<Database>): Promise<Migrator> {
  const provider = { getMigrations: async () => MIGRATIONS };
  if (dialectOf(db) !== 'postgres') return new Migrator({ db, provider });
  const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
  const schema = rows[0]?.schema ?? null;
  return new Migrator({ db, provider, ...(schema === null ? {} : { migrationTableSchema: schema }) });
}

/** Applies pending migrations and makes sure default_pool exists. Safe to run concurrently (Kysely takes a lock). */
export async function migrate(db: Kysely<Database>, options: MigrateOptions = {}): Promise<{ applied: string[] }> {
  const migrator = await migratorFor(db);
  const applied = applyOrThrow(await migrator.migrateToLatest(), 'apply');
  await ensureDefaultPool(db, options.defaultPoolSlots ?? 128);
  return { applied };
}

/** Names of the migrations not yet applied, for `updraft db check`. Creates nothing. */
export async function pendingMigrations(db: Kysely<Database>): Promise<string[]> {
  const migrator = await migratorFor(db);
  const migrations = await migrator.getMigrations();
  return migrations.filter((migration) => migration.executedAt === undefined).map((migration) => migration.name);
}

/** Drops every table (runs each migration down) and migrates again. Destroys all metadata. */
export async function resetDatabase(db: Kysely<Database>, options: MigrateOptions = {}): Promise<void> {
  const migrator = await migratorFor(db);
  applyOrThrow(await migrator.migrateTo(NO_MIGRATIONS), 'revert');
  await migrate(db, options);
}

function applyOrThrow(result: MigrationResultSet, verb: 'apply' | 'revert'): string[] {
  if (result.error !== undefined) {
    const failed = result.results?.find((migration) => migration.status === 'Error')?.migrationName ?? null;
    const reason = result.error instanceof Error ? result.error.message : String(result.error);
    throw new UpdraftError('DB_NOT_MIGRATED', `Could not ${verb} ${failed === null ? 'migrations' : `migration ${failed}`}: ${reason}`, {
      hint: 'Fix the cause above and run `updraft db migrate` again; migrations already applied are kept',
      details: { migration: failed },
      cause: result.error,
    });
  }
  return (result.results ?? []).filter((migration) => migration.status === 'Success').map((migration) => migration.migrationName);
}
