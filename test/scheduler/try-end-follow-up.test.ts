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
    // A try's event waits for its process's end markers (ADR 0022); on a busy machine the run can
    // finish first.
    const tasks = ['first', 'second', 'third'];
    await harness.runUntil(async () => tasks.every((taskId) => indexOf(harness!.events, 'try_finished', taskId) >= 0));
    // The loop hears of a try's end only after its transaction has committed, so a downstream task
    // queued before that event was queued by the follow-up.
    for (const [upstream, downstream] of [['first', 'second'], ['second', 'third']] as const) {
      expect(indexOf(harness.events, 'ti_queued', downstream)).toBeGreaterThanOrEqual(0);
      expect(indexOf(harness.events, 'ti_queued', downstream)).toBeLessThan(indexOf(harness.events, 'try_finished', upstream));
    }
  });

  /**
   * Runs the chain and returns, for each downstream task, its state as a connection of its own
   * reads it when its `ti_queued` is reported (right after the commit that queued it).
   */
  async function statesWhenQueued(env: Record<string, string> = {}): Promise<(string | undefined)[]> {
    let reader: DatabaseSync | null = null;
    const seen: (string | undefined)[] = [];
    harness = await createSchedulerHarness({
      dialect: 'sqlite',
      files: [dagFile('chain.ts')],
      env,
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
      expect((await getDagRun(harness.store.db, run))?.state).toBe('success');
    } finally {
      reader.close();
    }
    return seen;
  }

  it('starts the next task in that same transaction: it is running once the transaction has committed', async () => {
    expect(await statesWhenQueued()).toEqual(['second: running', 'third: running']);
  });

  it('leaves the next task to the loop when scheduler.schedule_after_task_execution is off', async () => {
    // The loop queues in a transaction of its own and hands the task over after that commit.
    expect(await statesWhenQueued({ UPDRAFT__SCHEDULER__SCHEDULE_AFTER_TASK_EXECUTION: 'false' })).toEqual(['second: queued', 'third: queued']);
  });

  it('records the end when its follow-up fails, reports the failure, and the loop takes over', async () => {
    harness = await createSchedulerHarness({ dialect: 'sqlite', files: [dagFile('chain.ts')] });
    // Deciding `second` fails until the trigger is dropped: first in the follow-up, then in the loop.
    await sql`create trigger refuse_second before update of state on task_instance when new.task_id = 'second' and new.state = 'scheduled'
      begin select raise(abort, 'injected scheduling failure'); end`.execute(harness.store.db);
    const run = await harness.trigger('sched_chain');
    // Its end recorded, and its executor's event reported (that comes once its last output is read).
    const firstEnded = async () => (await harness!.tis(run)).get('first')?.state === 'success' && indexOf(harness!.events, 'try_finished', 'first') >= 0;
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
