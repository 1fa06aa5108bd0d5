import type { Kysely, Migration } from 'kysely';
import { columnTypes, withTableOptions } from './column-types.ts';

/**
 * Users, browser sessions and API tokens (src/auth). Sessions and tokens are keyed by the sha256 of
 * their secret so a leaked database dump holds nothing a client could present; both go away with
 * their user (ON DELETE CASCADE).
 */
export const usersAndSessionsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    const t = columnTypes(db);
    await withTableOptions(
      t,
      db.schema
        .createTable('user_account')
        .addColumn('username', t.id, (c) => c.primaryKey())
        .addColumn('password_hash', t.text, (c) => c.notNull())
        .addColumn('role', t.short, (c) => c.notNull())
        .addColumn('first_name', t.text, (c) => c.notNull())
        .addColumn('last_name', t.text, (c) => c.notNull())
        .addColumn('email', t.text, (c) => c.notNull())
        .addColumn('created_at', t.millis, (c) => c.notNull())
        .addColumn('last_login', t.millis),
    ).execute();

    await withTableOptions(
      t,
      db.schema
        .createTable('user_session')
        .addColumn('session_hash', t.hash, (c) => c.primaryKey())
        .addColumn('username', t.id, (c) => c.notNull().references('user_account.username').onDelete('cascade'))
        .addColumn('csrf_token', t.short, (c) => c.notNull())
        .addColumn('created_at', t.millis, (c) => c.notNull())
        .addColumn('expires_at', t.millis, (c) => c.notNull()),
    ).execute();
    await db.schema.createIndex('user_session_expires_at').on('user_session').column('expires_at').execute();

    await withTableOptions(
      t,
      db.schema
        .createTable('api_token')
        .addColumn('token_hash', t.hash, (c) => c.primaryKey())
        .addColumn('username', t.id, (c) => c.notNull().references('user_account.username').onDelete('cascade'))
        .addColumn('name', t.id, (c) => c.notNull())
        .addColumn('created_at', t.millis, (c) => c.notNull())
        .addColumn('expires_at', t.millis)
        .addColumn('last_used_at', t.millis)
        .addUniqueConstraint('api_token_username_name', ['username', 'name']),
    ).execute();
  },

  async down(db: Kysely<unknown>) {
    for (const name of ['api_token', 'user_session', 'user_account']) await db.schema.dropTable(name).ifExists().execute();
  },
};
