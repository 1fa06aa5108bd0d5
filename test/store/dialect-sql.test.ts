import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { onConflictIgnore, onConflictUpdate } from '../../src/store/queries/upsert.ts';
import { createTestStore, DIALECTS } from '../support/databases.ts';

type TestStore = Awaited<ReturnType<typeof createTestStore>>;

/** The SQL each dialect gets for the statements whose spelling differs between dialects. */
const EXPECTED = {
  sqlite: { upsert: /on conflict \("key"\) do update set/, ignore: /on conflict do nothing/ },
  postgres: { upsert: /on conflict \("key"\) do update set/, ignore: /on conflict do nothing/ },
  mysql: { upsert: /on duplicate key update/, ignore: /^insert ignore into/ },
} as const;

describe.each(DIALECTS)('dialect-specific SQL on %s', (dialect) => {
  let store: TestStore;
  beforeEach(async () => {
    store = await createTestStore(dialect);
  });
  afterEach(async () => {
    await store.drop();
  });

  it('spells upserts and insert-or-ignore the way the dialect understands', async () => {
    const insert = store.db.insertInto('variable').values({ key: 'k', val: 'v', description: null, is_encrypted: 0 });
    const upsert = onConflictUpdate(store.db, insert, ['key'], { val: 'w' });
    expect(upsert.compile().sql).toMatch(EXPECTED[dialect].upsert);
    expect(onConflictIgnore(store.db, insert).compile().sql).toMatch(EXPECTED[dialect].ignore);

    await upsert.execute();
    await upsert.execute();
    await onConflictIgnore(store.db, store.db.insertInto('variable').values({ key: 'k', val: 'ignored', description: null, is_encrypted: 0 })).execute();
    expect(await store.db.selectFrom('variable').select(['key', 'val']).execute()).toEqual([{ key: 'k', val: 'w' }]);
  });
});
