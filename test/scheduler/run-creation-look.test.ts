import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { createRunsPhase } from '../../src/scheduler/create-runs-phase.ts';
import { sqlitePathFromUrl } from '../../src/store/dialects/sqlite.ts';
import { anyDagNeedsRunCreation, claimDagsForRunCreation, inTransaction, setPaused } from '../../src/store/index.ts';
import { DIALECTS } from '../support/databases.ts';
import { createSchedulerHarness, dagFile, type SchedulerHarness } from './support/harness.ts';

let harness: SchedulerHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** The look before the run-creation phase's transaction (anyDagNeedsRunCreation). */
describe.each(DIALECTS)('the look for DAGs that need runs on %s', (dialect) => {
  it('finds a DAG exactly when the claim would', async () => {
    harness = await createSchedulerHarness({ dialect, files: [dagFile('chain.ts')], executor: false });
    const { db } = harness.store;
    const now = Date.now();
    const lookAndClaim = async () => [await anyDagNeedsRunCreation(db, { now }), (await inTransaction(db, (trx) => claimDagsForRunCreation(trx, { now, limit: 10 }))).length];

    // Parsed, its next run not yet computed: the phase has work.
    expect(await lookAndClaim()).toEqual([true, 1]);
    await harness.scheduler.iterate();
    // A DAG without a schedule, settled: nothing to create or start.
    expect(await lookAndClaim()).toEqual([false, 0]);
    await harness.trigger('sched_chain');
    expect(await lookAndClaim()).toEqual([true, 1]);
    await setPaused(db, 'sched_chain', true);
    expect(await lookAndClaim()).toEqual([false, 0]);
  });
});

describe('the run-creation phase on sqlite', () => {
  it('takes no write lock when no DAG needs it, so another writer does not hold it up', async () => {
    harness = await createSchedulerHarness({ dialect: 'sqlite', files: [dagFile('chain.ts')], executor: false });
    await harness.scheduler.iterate();
    const { store, config } = harness;
    const writer = new DatabaseSync(sqlitePathFromUrl(store.url)!);
    writer.exec('begin immediate');
    try {
      // With the write lock taken elsewhere, a transaction here would wait out busy_timeout and fail.
      const result = await createRunsPhase({ store, config, now: Date.now(), db: store.db });
      expect(result.claimed).toBe(0);
      expect(result.events.count).toBe(0);
    } finally {
      writer.exec('rollback');
      writer.close();
    }
  });
});
