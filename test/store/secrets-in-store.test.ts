import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConnectionData } from '../../src/contracts/connection.ts';
import {
  deleteConnection,
  deleteVariable,
  getConnection,
  getVariable,
  listConnections,
  listVariables,
  openStore,
  setConnection,
  setVariable,
} from '../../src/store/index.ts';
import { createTestStore, DIALECTS, testSecretKey } from '../support/databases.ts';
import { rejectsWithCode } from './fixtures.ts';

type TestStore = Awaited<ReturnType<typeof createTestStore>>;

const WAREHOUSE: ConnectionData = {
  connId: 'warehouse',
  connType: 'postgres',
  description: 'Analytics',
  host: 'db.internal',
  schema: 'public',
  login: 'etl',
  password: 'correct-horse',
  port: 5432,
  extra: { sslmode: 'require', api_token: 'tok-123' },
};

describe.each(DIALECTS)('variables and connections on %s', (dialect) => {
  let store: TestStore;
  beforeEach(async () => {
    store = await createTestStore(dialect);
  });
  afterEach(async () => {
    await store.drop();
  });

  it('sets, replaces, lists and deletes variables', async () => {
    await setVariable(store.db, store.secrets, { key: 'env', value: 'prod', description: 'where we run' });
    await setVariable(store.db, store.secrets, { key: 'env', value: 'staging' });
    await setVariable(store.db, store.secrets, { key: 'Env', value: 'other case' });
    expect(await getVariable(store.db, store.secrets, 'env')).toEqual({ key: 'env', value: 'staging', description: null, isEncrypted: false });
    expect(await listVariables(store.db)).toEqual([
      { key: 'Env', value: 'other case', description: null, isEncrypted: false },
      { key: 'env', value: 'staging', description: null, isEncrypted: false },
    ]);
    expect(await deleteVariable(store.db, 'env')).toBe(true);
    expect(await deleteVariable(store.db, 'env')).toBe(false);
    expect(await getVariable(store.db, store.secrets, 'env')).toBeNull();
  });

  it('stores encrypted variables as ciphertext and reads them back decrypted', async () => {
    await setVariable(store.db, store.secrets, { key: 'token', value: 'hunter2', encrypt: true });
    const row = await store.db.selectFrom('variable').selectAll().where('key', '=', 'token').executeTakeFirstOrThrow();
    expect(row.is_encrypted).toBe(1);
    expect(row.val).not.toContain('hunter2');
    expect(row.val).toMatch(/^v1:/);
    expect(await getVariable(store.db, store.secrets, 'token')).toMatchObject({ value: 'hunter2', isEncrypted: true });
    expect(await listVariables(store.db)).toEqual([{ key: 'token', value: null, description: null, isEncrypted: true }]);
  });

  it('keeps connection passwords and extras encrypted in the table', async () => {
    await setConnection(store.db, store.secrets, WAREHOUSE);
    const row = await store.db.selectFrom('connection').selectAll().executeTakeFirstOrThrow();
    expect(row.password).not.toBe(WAREHOUSE.password);
    expect(JSON.stringify(row)).not.toContain('correct-horse');
    expect(JSON.stringify(row)).not.toContain('tok-123');
    expect(await getConnection(store.db, store.secrets, 'warehouse')).toEqual(WAREHOUSE);
  });

  it('lists connections without passwords and replaces on set', async () => {
    await setConnection(store.db, store.secrets, WAREHOUSE);
    await setConnection(store.db, store.secrets, { ...WAREHOUSE, connId: 'bare', password: null, extra: {}, host: null });
    await setConnection(store.db, store.secrets, { ...WAREHOUSE, port: 6543 });
    const listed = await listConnections(store.db);
    expect(listed.map((conn) => [conn.connId, conn.hasPassword, conn.hasExtra, conn.port])).toEqual([
      ['bare', false, false, 5432],
      ['warehouse', true, true, 6543],
    ]);
    expect(listed.some((conn) => 'password' in conn || 'extra' in conn)).toBe(false);
    expect(await getConnection(store.db, store.secrets, 'bare')).toMatchObject({ password: null, extra: {}, host: null });
    expect(await deleteConnection(store.db, 'bare')).toBe(true);
    expect(await getConnection(store.db, store.secrets, 'bare')).toBeNull();
  });

  it('fails with SECRET_DECRYPT_FAILED when opened with another key', async () => {
    await setConnection(store.db, store.secrets, WAREHOUSE);
    await setVariable(store.db, store.secrets, { key: 'token', value: 'hunter2', encrypt: true });
    const other = await openStore({ url: store.url, secretKey: testSecretKey() });
    try {
      await rejectsWithCode(getConnection(other.db, other.secrets, 'warehouse'), 'SECRET_DECRYPT_FAILED');
      await rejectsWithCode(getVariable(other.db, other.secrets, 'token'), 'SECRET_DECRYPT_FAILED');
    } finally {
      await other.close();
    }
  });
});
