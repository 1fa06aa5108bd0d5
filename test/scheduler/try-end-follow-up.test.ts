import { DatabaseSync } from 'node:sqlite';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { sqlitePathFromUrl } from '../../src/store/dialects/sqlite.ts';
import { getDagRun, listTries } from '../../src/store/index.ts';
import type { SchedulerEvent } from '../../src/scheduler/index.ts';
import { createSchedulerHarness, dagFile, type SchedulerHarness } from './support/harness.ts';

/** On SQLite the scheduler follows up the ends its executor records (Scheduler.followUpTryEnds, ADR 0017). */
describe('try-end follow-up on sqlite', () => {
  let harness: SchedulerHarness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  const indexOf = (events: SchedulerEvent[], type: 'ti_queued' | 'try_finished', taskId: string) =>
    events.findIndex((event) => event.type === type && event.key.taskId === taskId);

  it('queues the next task of a chain in the transaction that records the end of the one before', async () => {
    harness = await createSchedulerHarness({ dialect: 'sqlite', files: [dagFile('chain.ts')] });
    const run = await harness.trigger('sched_chain');
    await harness.runUntil(harness.runFinished(run));
    expect((await getDagRun(harness.store.db, run))?.state).toBe('success');
    // The loop hears of a try's end only after its transaction has committed, so a downstream task
    // queued before that event was queued by the follow-up.
    for (const [upstream, downstream] of [['first', 'second'], ['second', 'third']] as const) {
      expect(indexOf(harness.events, 'ti_queued', downstream)).toBeGreaterThanOrEqual(0);
      expect(indexOf(harness.events, 'ti_queued', downstream)).toBeLessThan(indexOf(harness.events, 'try_finished', upstream));
    }
  });

  it('starts the next task in that same transaction: it is running once the transaction has committed', async () => {
    // Read synchronously on a connection of its own when the follow-up reports, right after its commit.
    let reader: DatabaseSync | null = null;
    const seen: (string | undefined)[] = [];
    harness = await createSchedulerHarness({
      dialect: 'sqlite',
      files: [dagFile('chain.ts')],
      onEvent: (event) => {
        if (event.type !== 'ti_queued' || event.key.taskId === 'first' || reader === null) return;
        const row = reader.prepare('select state from task_instance where task_id = ?').get(event.key.taskId) as { state: string } | undefined;
        seen.push(`${event.key.taskId}: ${row?.state}`);
      },
    });
    reader = new DatabaseSync(sqlitePathFromUrl(harness.store.url)!);
    try {
      const run = await harness.trigger('sched_chain');
      await harness.runUntil(harness.runFinished(run));
    } finally {
      reader.close();
    }
    expect(seen).toEqual(['second: running', 'third: running']);
  });

  it('leaves the next task to the loop when scheduler.schedule_after_task_execution is off', async () => {
    harness = await createSchedulerHarness({ dialect: 'sqlite', files: [dagFile('chain.ts')], env: { UPDRAFT__SCHEDULER__SCHEDULE_AFTER_TASK_EXECUTION: 'false' } });
    const run = await harness.trigger('sched_chain');
    await harness.runUntil(harness.runFinished(run));
    expect((await getDagRun(harness.store.db, run))?.state).toBe('success');
    // From a try's commit to its event there is no turn of the event loop in which the loop could run.
    expect(indexOf(harness.events, 'ti_queued', 'second')).toBeGreaterThan(indexOf(harness.events, 'try_finished', 'first'));
  });

  it('records the end when its follow-up fails, reports the failure, and the loop takes over', async () => {
    harness = await createSchedulerHarness({ dialect: 'sqlite', files: [dagFile('chain.ts')] });
    // Deciding `second` fails until the trigger is dropped: first in the follow-up, then in the loop.
    await sql`create trigger refuse_second before update of state on task_instance when new.task_id = 'second' and new.state = 'scheduled'
      begin select raise(abort, 'injected scheduling failure'); end`.execute(harness.store.db);
    const run = await harness.trigger('sched_chain');
    const firstEnded = async () => (await harness!.tis(run)).get('first')?.state === 'success';
    await harness.runUntil(firstEnded);
    const failure = harness.events.find((event) => event.type === 'phase_failed');
    expect(failure).toMatchObject({ type: 'phase_failed', phase: 'schedule_runs', error: { message: expect.stringContaining('injected scheduling failure') } });
    // Reported while the end was being recorded, before the executor's event about it.
    expect(harness.events.indexOf(failure!)).toBeLessThan(indexOf(harness.events, 'try_finished', 'first'));
    expect((await harness.tis(run)).get('second')?.state).toBe('none');

    await sql`drop trigger refuse_second`.execute(harness.store.db);
    await harness.runUntil(harness.runFinished(run));
    expect((await getDagRun(harness.store.db, run))?.state).toBe('success');
    const tries = await listTries(harness.store.db, { ...run, taskId: 'second', mapIndex: -1 });
    expect(tries.map((row) => row.state)).toEqual(['success']);
  });
});
