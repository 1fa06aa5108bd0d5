import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { executePrepared } from '../../src/store/queries/prepared.ts';
import { getVariable, setVariable } from '../../src/store/index.ts';
import { createTestStore, DIALECTS } from '../support/databases.ts';

type TestStore = Awaited<ReturnType<typeof createTestStore>>;

describe.each(DIALECTS)('prepared statements on %s', (dialect) => {
  let store: TestStore;

  beforeEach(async () => {
    store = await createTestStore(dialect);
    for (const key of ['alpha', 'beta', 'gamma']) await setVariable(store.db, store.secrets, { key, value: `${key}-value`, description: `about ${key}` });
  });

  afterEach(async () => {
    await store.drop();
  });

  const describeVariable = (key: string) =>
    executePrepared(store.db, 'test/describeVariable', { key }, (db, param) =>
      db.selectFrom('variable').select(['key', 'description']).where('key', '=', param('key')),
    );

  it('builds a statement once and binds new values on every run', async () => {
    let builds = 0;
    const run = (key: string) =>
      executePrepared(store.db, 'test/countedBuild', { key }, (db, param) => {
        builds += 1;
        return db.selectFrom('variable').select('val').where('key', '=', param('key'));
      });
    expect((await run('alpha')).rows).toEqual([{ val: 'alpha-value' }]);
    expect((await run('beta')).rows).toEqual([{ val: 'beta-value' }]);
    expect((await run('missing')).rows).toEqual([]);
    expect(builds).toBe(1);
  });

  it('keeps the constants the builder wrote next to the bound values', async () => {
    const result = await executePrepared(store.db, 'test/updateDescription', { key: 'gamma', description: 'changed' }, (db, param) =>
      db.updateTable('variable').set({ description: param('description') }).where('key', '=', param('key')).where('is_encrypted', '=', 0),
    );
    expect(result.numAffectedRows).toBe(1n);
    expect((await describeVariable('gamma')).rows).toEqual([{ key: 'gamma', description: 'changed' }]);
    expect((await getVariable(store.db, store.secrets, 'alpha'))?.description).toBe('about alpha');
  });

  it('runs inside a transaction the caller owns: sees its uncommitted writes, and is rolled back with it', async () => {
    // On SQLite, statements of a transaction run on its connection directly (runInSqliteTransaction).
    const rolledBack = store.db.transaction().execute(async (trx) => {
      await trx.updateTable('variable').set({ description: 'in flight' }).where('key', '=', 'beta').execute();
      const inside = await executePrepared(trx, 'test/describeVariable', { key: 'beta' }, (db, param) =>
        db.selectFrom('variable').select(['key', 'description']).where('key', '=', param('key')),
      );
      expect(inside.rows).toEqual([{ key: 'beta', description: 'in flight' }]);
      const updated = await executePrepared(trx, 'test/describeInTransaction', { description: 'prepared in flight' }, (db, param) =>
        db.updateTable('variable').set({ description: param('description') }).where('key', 'in', ['alpha', 'gamma']),
      );
      expect(updated.numAffectedRows).toBe(2n);
      throw new Error('roll back');
    });
    await expect(rolledBack).rejects.toThrow('roll back');
    expect((await describeVariable('alpha')).rows).toEqual([{ key: 'alpha', description: 'about alpha' }]);
    expect((await describeVariable('beta')).rows).toEqual([{ key: 'beta', description: 'about beta' }]);
  });

  it('refuses a builder that asks for a value the call does not pass', async () => {
    await expect(
      executePrepared(store.db, 'test/missingValue', { key: 'alpha' } as Record<string, unknown>, (db, param) =>
        db.selectFrom('variable').select('key').where('key', '=', param('other') as string),
      ),
    ).rejects.toThrow('missing parameter other');
  });
});

describe('prepared statements on Postgres', () => {
  let store: TestStore;
  beforeEach(async () => {
    store = await createTestStore('postgres');
  });
  afterEach(async () => {
    await store.drop();
  });

  it('are kept prepared on the connection under a name; ad hoc SQL is not', async () => {
    const statements = await store.db.transaction().execute(async (trx) => {
      await executePrepared(trx, 'test/namedOnPostgres', { key: 'alpha' }, (db, param) => db.selectFrom('variable').select('val').where('key', '=', param('key')));
      await executePrepared(trx, 'test/namedOnPostgres', { key: 'beta' }, (db, param) => db.selectFrom('variable').select('val').where('key', '=', param('key')));
      await trx.selectFrom('variable').select('description').where('key', '=', 'adhoc').execute();
      return (await sql<{ name: string; statement: string }>`select name, statement from pg_prepared_statements`.execute(trx)).rows;
    });
    const named = statements.filter((statement) => statement.statement.includes('"variable"'));
    expect(named).toHaveLength(1);
    expect(named[0]!.name).toMatch(/^updraft_\d+$/);
    expect(named[0]!.statement).toContain('select "val" from "variable"');
  });
});
