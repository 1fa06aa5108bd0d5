import { afterEach, describe, expect, it } from 'vitest';
import { lockRows } from '../../src/store/queries/scheduling-locks.ts';
import { DIALECTS, createTestStore } from '../support/databases.ts';

type TestStore = Awaited<ReturnType<typeof createTestStore>>;

/** The row-lock clauses each dialect gets (SQLite has no row locks and no such syntax). */
describe.each(DIALECTS)('scheduler claims on %s', (dialect) => {
  let store: TestStore | undefined;
  afterEach(async () => {
    await store?.drop();
    store = undefined;
  });

  it('compile FOR UPDATE [SKIP LOCKED] only where the database has row locks', async () => {
    store = await createTestStore(dialect, { migrate: false });
    const query = store.db.selectFrom('slot_pool').select('pool').orderBy('pool');
    const skip = lockRows(store.db, query, 'skip_locked').compile().sql;
    const wait = lockRows(store.db, query, 'wait').compile().sql;
    if (dialect === 'sqlite') {
      expect([skip, wait]).toEqual([query.compile().sql, query.compile().sql]);
    } else {
      expect(skip).toMatch(/ for update skip locked$/);
      expect(wait).toMatch(/ for update$/);
    }
  });
});
