import { constants, DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { limitsUnseenByPlanner } from '../../src/store/dialects/sqlite.ts';
import { setVariable } from '../../src/store/index.ts';
import { createTestStore } from '../support/databases.ts';

/** Runs `sql` five times with new bindings and counts how often SQLite compiled it (the authorizer runs at each compile). */
function compilesOverFiveRuns(sql: string): number {
  const db = new DatabaseSync(':memory:');
  try {
    db.exec('create table t (a integer, b integer)');
    for (let i = 0; i < 5; i += 1) db.prepare('insert into t values (?, ?)').run(i, 10 - i);
    const statement = db.prepare(sql);
    let authorizations = 0;
    db.setAuthorizer(() => {
      authorizations += 1;
      return constants.SQLITE_OK;
    });
    statement.all(1); // compiled again once: the authorizer changed
    authorizations = 0;
    for (let limit = 1; limit <= 5; limit += 1) expect(statement.all(limit)).toHaveLength(limit);
    return authorizations;
  } finally {
    db.close();
  }
}

describe('limits on SQLite', () => {
  it('a bare bound LIMIT makes SQLite compile the statement on every run; behind the rewrite it compiles none', () => {
    const sql = 'select a from t order by b limit ?';
    expect(compilesOverFiveRuns(sql)).toBeGreaterThanOrEqual(5);
    expect(compilesOverFiveRuns(limitsUnseenByPlanner(sql))).toBe(0);
  });

  it('rewrites only a LIMIT placeholder', () => {
    expect(limitsUnseenByPlanner('select * from "t" where "a" = ? order by "b" limit ? offset ?')).toBe(
      'select * from "t" where "a" = ? order by "b" limit cast(? as integer) offset ?',
    );
    expect(limitsUnseenByPlanner('select * from "t" where exists (select 1 from "u" limit ?)')).toBe(
      'select * from "t" where exists (select 1 from "u" limit cast(? as integer))',
    );
    expect(limitsUnseenByPlanner('select "limit" from "t" where "x" = ?')).toBe('select "limit" from "t" where "x" = ?');
  });

  describe('through the store', () => {
    let store: Awaited<ReturnType<typeof createTestStore>>;
    beforeEach(async () => {
      store = await createTestStore('sqlite');
      for (const key of ['a', 'b', 'c', 'd']) await setVariable(store.db, store.secrets, { key, value: key, description: null });
    });
    afterEach(async () => {
      await store.drop();
    });

    it('limits and offsets return the rows they name', async () => {
      const page = (limit: number, offset: number) => store.db.selectFrom('variable').select('key').orderBy('key').limit(limit).offset(offset).execute();
      expect(await page(2, 0)).toEqual([{ key: 'a' }, { key: 'b' }]);
      expect(await page(2, 1)).toEqual([{ key: 'b' }, { key: 'c' }]);
      expect(await page(3, 2)).toEqual([{ key: 'c' }, { key: 'd' }]);
    });
  });
});
