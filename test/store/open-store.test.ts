import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getDag, openStore } from '../../src/store/index.ts';
import { createTestStore, DIALECTS, dropTestDatabase, testDatabaseUrl, testSecretKey } from '../support/databases.ts';
import { rejectsWithCode, seedDag, serializedDag } from './fixtures.ts';

type TestStore = Awaited<ReturnType<typeof createTestStore>>;

describe('openStore', () => {
  it('rejects URLs of unsupported databases with the accepted forms as hint', async () => {
    const error = await rejectsWithCode(openStore({ url: 'oracle://scott:tiger@db/orcl', secretKey: testSecretKey() }), 'DB_UNSUPPORTED_URL');
    expect(error.hint).toContain('sqlite:///');
    expect(error.hint).toContain('postgres://');
    expect(error.hint).toContain('mysql://');
    expect(error.message).not.toContain('tiger');
  });

  it('rejects a relative SQLite path', async () => {
    await rejectsWithCode(openStore({ url: 'sqlite://relative.db', secretKey: testSecretKey() }), 'DB_UNSUPPORTED_URL');
  });

  it('names host and port but never the password when the server cannot be reached', async () => {
    const error = await rejectsWithCode(
      openStore({ url: 'postgres://postgres:s3cret-pw@127.0.0.1:1/test', secretKey: testSecretKey() }),
      'DB_CONNECTION_FAILED',
    );
    expect(error.message).toContain('127.0.0.1:1');
    expect(JSON.stringify(error)).not.toContain('s3cret-pw');
  });

  it('reports a MySQL login failure as DB_CONNECTION_FAILED', async () => {
    const error = await rejectsWithCode(
      openStore({ url: 'mysql://nobody:wrong-pw@127.0.0.1:3306/test', secretKey: testSecretKey() }),
      'DB_CONNECTION_FAILED',
    );
    expect(error.message).toContain('127.0.0.1:3306');
    expect(error.message).not.toContain('wrong-pw');
  });

  it('creates the parent folder of a SQLite file and uses WAL with foreign keys on', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'updraft-open-'));
    const store = await openStore({ url: `sqlite://${join(folder, 'nested', 'deeper', 'updraft.db')}`, secretKey: testSecretKey() });
    try {
      const journal = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(store.db);
      const foreignKeys = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(store.db);
      expect(journal.rows[0]?.journal_mode).toBe('wal');
      expect(foreignKeys.rows[0]?.foreign_keys).toBe(1);
    } finally {
      await store.close();
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('opens an in-memory SQLite database', async () => {
    const store = await openStore({ url: 'sqlite::memory:', secretKey: testSecretKey() });
    const result = await sql<{ one: number }>`select 1 as one`.execute(store.db);
    expect(result.rows).toEqual([{ one: 1 }]);
    await store.close();
  });

  it('keeps Postgres schemas apart: ?schema= selects the search path', async () => {
    const a = await createTestStore('postgres');
    const b = await createTestStore('postgres').catch(async (error: unknown) => {
      await a.drop();
      throw error;
    });
    try {
      await seedDag(a, serializedDag('only_in_a'));
      expect(await getDag(a.db, 'only_in_a')).not.toBeNull();
      expect(await getDag(b.db, 'only_in_a')).toBeNull();
    } finally {
      await Promise.all([a.drop(), b.drop()]);
    }
  });

  it('creates the Postgres schema named in the URL when it is missing', async () => {
    const url = await testDatabaseUrl('postgres');
    await dropTestDatabase(url);
    const store = await openStore({ url, secretKey: testSecretKey() });
    try {
      const schema = await sql<{ schema: string }>`select current_schema() as schema`.execute(store.db);
      expect(schema.rows[0]?.schema).toBe(new URL(url).searchParams.get('schema'));
    } finally {
      await store.close();
      await dropTestDatabase(url);
    }
  });
});

describe.each(DIALECTS)('column semantics on %s', (dialect) => {
  let store: TestStore;
  beforeEach(async () => {
    store = await createTestStore(dialect);
  });
  afterEach(async () => {
    await store.drop();
  });

  it('reads BIGINT instants back as numbers', async () => {
    const lastParsedAt = Date.UTC(2100, 0, 1, 12, 30, 45, 678);
    await seedDag(store, serializedDag('big'), lastParsedAt);
    const dag = await getDag(store.db, 'big');
    expect(dag?.lastParsedAt).toBe(lastParsedAt);
    expect(typeof dag?.lastParsedAt).toBe('number');
  });

  it('treats ids that differ only in case as different', async () => {
    await seedDag(store, serializedDag('my_dag'));
    await seedDag(store, serializedDag('My_Dag'));
    expect((await getDag(store.db, 'my_dag'))?.dagId).toBe('my_dag');
    expect((await getDag(store.db, 'My_Dag'))?.dagId).toBe('My_Dag');
    expect(await getDag(store.db, 'MY_DAG')).toBeNull();
  });

  it('stores 250-character ids and non-ASCII text', async () => {
    const dagId = `d${'x'.repeat(249)}`;
    await seedDag(store, serializedDag(dagId, { description: 'Überweisungen 🚀' }));
    const dag = await getDag(store.db, dagId);
    expect(dag?.dagId).toHaveLength(250);
    expect(dag?.description).toBe('Überweisungen 🚀');
  });
});
