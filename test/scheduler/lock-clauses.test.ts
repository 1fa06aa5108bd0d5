import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { claimDagsForRunCreation, inTransaction } from '../../src/store/index.ts';
import { lockRows } from '../../src/store/queries/scheduling-locks.ts';
import { DIALECTS, createTestStore } from '../support/databases.ts';
import { createSchedulerHarness, dagFile, type SchedulerHarness } from './support/harness.ts';

type TestStore = Awaited<ReturnType<typeof createTestStore>>;

/** The row-lock clauses each dialect gets (SQLite has no row locks and no such syntax). */
describe.each(DIALECTS)('scheduler claims on %s', (dialect) => {
  let store: TestStore | undefined;
  afterEach(async () => {
    await store?.drop();
    store = undefined;
  });

  it('compile exclusive row locks that let foreign-key checks through where the database has them', async () => {
    store = await createTestStore(dialect, { migrate: false });
    const query = store.db.selectFrom('slot_pool').select('pool').orderBy('pool');
    const skip = lockRows(store.db, query, 'skip_locked').compile().sql;
    const wait = lockRows(store.db, query, 'wait').compile().sql;
    if (dialect === 'sqlite') {
      expect([skip, wait]).toEqual([query.compile().sql, query.compile().sql]);
    } else if (dialect === 'postgres') {
      // FOR NO KEY UPDATE, as Airflow takes: it does not block FOR KEY SHARE (a foreign-key check).
      expect(skip).toMatch(/ for no key update skip locked$/);
      expect(wait).toMatch(/ for no key update$/);
    } else {
      expect(skip).toMatch(/ for update skip locked$/);
      expect(wait).toMatch(/ for update$/);
    }
  });
});

/**
 * A scheduler's claim must not hold up writes under the claimed rows. MySQL has no lock weaker than
 * FOR UPDATE that still excludes a second scheduler, so this holds on Postgres only.
 */
describe('a run-creation claim on postgres', () => {
  let harness: SchedulerHarness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('lets a trigger of the claimed DAG insert its run before the claim commits', async () => {
    harness = await createSchedulerHarness({ dialect: 'postgres', files: [dagFile('chain.ts')], executor: false });
    const h = harness;
    const order: string[] = [];
    let claimed!: () => void;
    const isClaimed = new Promise<void>((resolve) => (claimed = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const claim = inTransaction(h.store.db, async (trx) => {
      expect(await claimDagsForRunCreation(trx, { now: Date.now(), limit: 10 })).toHaveLength(1);
      claimed();
      await released;
      order.push('claim committed');
    });
    await isClaimed;
    // The run's insert checks its foreign key to the claimed dag row (FOR KEY SHARE).
    const trigger = h.trigger('sched_chain').then(() => order.push('trigger done'));
    await Promise.race([trigger, sleep(2_000)]);
    release();
    await Promise.all([claim, trigger]);
    expect(order).toEqual(['trigger done', 'claim committed']);
  });
});
