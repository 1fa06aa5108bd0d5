import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { migrate, openStore, type DialectName, type Store } from '../../src/store/index.ts';

/** Every store test runs once per dialect: `describe.each(DIALECTS)`. */
export const DIALECTS: DialectName[] = ['sqlite', 'postgres', 'mysql'];

const POSTGRES_SERVER = 'postgres://postgres@127.0.0.1:5432/test';
const MYSQL_SERVER = { host: '127.0.0.1', port: 3306, user: 'root', password: '' };

/** A fresh random key, so a test never depends on another test's secrets. */
export function testSecretKey(): string {
  return randomBytes(32).toString('base64');
}

/**
 * Creates an empty, isolated database for one test and returns its URL: a new SQLite file in a temp
 * folder, a new schema `t_<random>` in Postgres db `test`, or a new MySQL database `t_<random>`.
 * Remove it with dropTestDatabase(url).
 */
export async function testDatabaseUrl(dialect: DialectName): Promise<string> {
  const name = `t_${randomBytes(6).toString('hex')}`;
  switch (dialect) {
    case 'sqlite':
      return `sqlite://${join(mkdtempSync(join(tmpdir(), 'updraft-store-')), `${name}.db`)}`;
    case 'postgres':
      await withPostgres((client) => client.query(`create schema ${name}`));
      return `${POSTGRES_SERVER}?schema=${name}`;
    case 'mysql':
      // A case-insensitive default on purpose: the migrations must make ids case-sensitive themselves.
      await withMysql((connection) => connection.query(`create database ${name} character set utf8mb4 collate utf8mb4_general_ci`));
      return `mysql://root@127.0.0.1:3306/${name}`;
  }
}

/** Removes what testDatabaseUrl created. */
export async function dropTestDatabase(url: string): Promise<void> {
  if (url.startsWith('sqlite://')) {
    rmSync(dirname(url.slice('sqlite://'.length)), { recursive: true, force: true });
  } else if (url.startsWith('postgres://')) {
    const schema = new URL(url).searchParams.get('schema') ?? '';
    await withPostgres((client) => client.query(`drop schema if exists ${safeName(schema)} cascade`));
  } else {
    const database = new URL(url).pathname.slice(1);
    await withMysql((connection) => connection.query(`drop database if exists ${safeName(database)}`));
  }
}

/** An open, migrated store on its own database; `drop()` closes it and removes the database. */
export async function createTestStore(
  dialect: DialectName,
  options: { secretKey?: string; migrate?: boolean } = {},
): Promise<Store & { url: string; drop(): Promise<void> }> {
  const url = await testDatabaseUrl(dialect);
  let store: Store | undefined;
  try {
    store = await openStore({ url, secretKey: options.secretKey ?? testSecretKey(), poolSize: 4 });
    if (options.migrate !== false) await migrate(store.db);
  } catch (error) {
    // Leave nothing behind when setup fails half-way.
    await store?.close();
    await dropTestDatabase(url);
    throw error;
  }
  const opened = store;
  return {
    ...opened,
    url,
    drop: async () => {
      await opened.close();
      await dropTestDatabase(url);
    },
  };
}

function safeName(name: string): string {
  if (!/^t_[0-9a-f]+$/.test(name)) throw new Error(`Refusing to drop "${name}": not a test database`);
  return name;
}

async function withPostgres<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: POSTGRES_SERVER });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function withMysql<T>(work: (connection: mysql.Connection) => Promise<T>): Promise<T> {
  const connection = await mysql.createConnection(MYSQL_SERVER);
  try {
    return await work(connection);
  } finally {
    await connection.end();
  }
}
