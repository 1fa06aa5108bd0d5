import { sql, type Transaction } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getVariable, runTransaction, setVariable, type Database } from '../../src/store/index.ts';
import { createTestStore } from '../support/databases.ts';

/** SQLite transactions made without Kysely's layers (runSqliteTransaction, through runTransaction). */
describe('sqlite transactions', () => {
  let store: Awaited<ReturnType<typeof createTestStore>>;
  beforeEach(async () => {
    store = await createTestStore('sqlite');
  });
  afterEach(async () => {
    await store.drop();
  });

  const value = async (key: string) => (await getVariable(store.db, store.secrets, key))?.value ?? null;

  it('commits what the work wrote, and rolls all of it back when the work throws', async () => {
    expect(await runTransaction(store.db, async (trx) => (await setVariable(trx, store.secrets, { key: 'kept', value: 'yes' }), 'done'))).toBe('done');
    await expect(
      runTransaction(store.db, async (trx) => {
        await setVariable(trx, store.secrets, { key: 'undone', value: 'no' });
        throw new Error('work failed');
      }),
    ).rejects.toThrow('work failed');
    expect([await value('kept'), await value('undone')]).toEqual(['yes', null]);
  });

  it('keeps the store waiting while it holds the connection, and refuses its Transaction once it has ended', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let kept: Transaction<Database> | null = null;
    const transaction = runTransaction(store.db, async (trx) => {
      kept = trx;
      await setVariable(trx, store.secrets, { key: 'pending', value: 'committed' });
      await held;
    });
    // Queued behind the transaction: it reads the committed value, never a half-made one.
    const read = value('pending');
    await new Promise((resolve) => setTimeout(resolve, 20));
    release();
    await transaction;
    expect(await read).toBe('committed');
    await expect(sql`select 1`.execute(kept!)).rejects.toMatchObject({ code: 'INTERNAL' });
  });

  it('rolls back a transaction whose COMMIT fails, and leaves the connection usable', async () => {
    await sql`create table parent (id integer primary key)`.execute(store.db);
    await sql`create table child (parent_id integer references parent (id) deferrable initially deferred)`.execute(store.db);
    // A deferred foreign key is checked at COMMIT, which then fails and leaves the transaction open.
    await expect(runTransaction(store.db, (trx) => sql`insert into child (parent_id) values (7)`.execute(trx))).rejects.toThrow(/FOREIGN KEY/);
    const { rows } = await sql<{ n: number }>`select count(*) as n from child`.execute(store.db);
    expect(rows[0]?.n).toBe(0);
    await runTransaction(store.db, (trx) => setVariable(trx, store.secrets, { key: 'after', value: 'works' }));
    expect(await value('after')).toBe('works');
  });
});
