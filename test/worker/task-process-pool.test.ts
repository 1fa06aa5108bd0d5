import { afterEach, describe, expect, it, vi } from 'vitest';
import { UpdraftError } from '../../src/contracts/errors.ts';
import type { TaskProcessPool } from '../../src/worker/supervisor/task-process-pool.ts';
import { CRASH_ON_START, fixturePool, isGone } from './helpers/fixtures.ts';

const pools: TaskProcessPool[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((pool) => pool.close()));
});

function track(created: ReturnType<typeof fixturePool>): ReturnType<typeof fixturePool> {
  pools.push(created.pool);
  return created;
}

describe('TaskProcessPool', () => {
  it('pre-spawns `size` ready processes', async () => {
    const { pool, events } = track(fixturePool({ size: 2 }));
    await vi.waitFor(() => expect(pool.stats()).toEqual({ idle: 2, busy: 0, starting: 0 }));
    expect(events.filter((event) => event.type === 'process_spawned')).toHaveLength(2);
  });

  it('hands the same warm process out again after a healthy release', async () => {
    const { pool } = track(fixturePool({ size: 1 }));
    const first = await pool.acquire('pool');
    pool.release(first, { healthy: true });
    const second = await pool.acquire('pool');
    expect(second.pid).toBe(first.pid);
    expect(second.tasksRun).toBe(2);
    pool.release(second, { healthy: true });
  });

  it('hands an idle process out at once with acquireIdle, and none when every process is busy or the pool is closed', async () => {
    const { pool } = track(fixturePool({ size: 1 }));
    expect(pool.acquireIdle('pool')).toBeNull(); // still starting
    await vi.waitFor(() => expect(pool.stats().idle).toBe(1));
    const taken = pool.acquireIdle('pool');
    expect(taken?.tasksRun).toBe(1);
    expect(pool.stats()).toMatchObject({ idle: 0, busy: 1 });
    expect(pool.acquireIdle('pool')).toBeNull();
    // `process` isolation wants a process that has never run a task.
    pool.release(taken!, { healthy: true });
    expect(pool.acquireIdle('process')).toBeNull();
    expect(pool.acquireIdle('pool')?.pid).toBe(taken!.pid);
    await pool.close();
    expect(() => pool.acquireIdle('pool')).toThrow(expect.objectContaining({ code: 'TASK_PROCESS_POOL_CLOSED' }));
  });

  it("gives `process` isolation a never-used process and kills it after the task", async () => {
    const { pool } = track(fixturePool({ size: 1 }));
    const warm = await pool.acquire('pool');
    pool.release(warm, { healthy: true }); // warm has run a task now
    const isolated = await pool.acquire('process');
    expect(isolated.pid).not.toBe(warm.pid);
    expect(isolated.tasksRun).toBe(1);
    pool.release(isolated, { healthy: true });
    await isolated.exited;
    const next = await pool.acquire('process');
    expect(next.pid).not.toBe(isolated.pid);
    pool.release(next, { healthy: true });
  });

  it('replaces a process after recycleAfterTasks tasks', async () => {
    const { pool, events } = track(fixturePool({ size: 1, recycleAfterTasks: 2 }));
    const pids: number[] = [];
    for (let i = 0; i < 3; i++) {
      const taskProcess = await pool.acquire('pool');
      pids.push(taskProcess.pid);
      pool.release(taskProcess, { healthy: true });
    }
    expect(pids[1]).toBe(pids[0]);
    expect(pids[2]).not.toBe(pids[0]);
    expect(events).toContainEqual({ type: 'process_recycled', pid: pids[0], reason: 'tasks', tasksRun: 2, rssBytes: null });
    await vi.waitFor(() => expect(isGone(pids[0]!)).toBe(true));
  });

  it('replaces a process whose resident memory is above recycleRssBytes', async () => {
    const { pool, events } = track(fixturePool({ size: 1, recycleRssBytes: 1024 }));
    const first = await pool.acquire('pool');
    pool.release(first, { healthy: true });
    const second = await pool.acquire('pool');
    expect(second.pid).not.toBe(first.pid);
    const recycled = events.find((event) => event.type === 'process_recycled');
    expect(recycled).toMatchObject({ pid: first.pid, reason: 'rss' });
    expect(recycled?.type === 'process_recycled' && recycled.rssBytes).toBeGreaterThan(1024);
    pool.release(second, { healthy: true });
  });

  it('never reuses a process released as unhealthy', async () => {
    const { pool } = track(fixturePool({ size: 1 }));
    const first = await pool.acquire('pool');
    pool.release(first, { healthy: false });
    const second = await pool.acquire('pool');
    expect(second.pid).not.toBe(first.pid);
    await first.exited;
    pool.release(second, { healthy: true });
  });

  it('drops an idle process that dies and spawns a replacement', async () => {
    const { pool, events } = track(fixturePool({ size: 1 }));
    const first = await pool.acquire('pool');
    pool.release(first, { healthy: true });
    process.kill(first.pid, 'SIGKILL');
    await vi.waitFor(() =>
      expect(events).toContainEqual({ type: 'process_died', pid: first.pid, key: null, exitCode: null, signal: 'SIGKILL' }),
    );
    const replacement = await pool.acquire('pool');
    expect(replacement.pid).not.toBe(first.pid);
    pool.release(replacement, { healthy: true });
  });

  it('reports a process that dies before it is ready, with its stderr', async () => {
    const { pool } = track(fixturePool({ size: 0, entry: CRASH_ON_START }));
    const error = await pool.acquire('pool').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UpdraftError);
    expect(error).toMatchObject({ code: 'TASK_PROCESS_DIED', details: { exitCode: 3 } });
    expect((error as UpdraftError).details.stderr).toContain('cannot load the task runtime');
  });

  it('rejects with the spawn error when the background refill cannot start a process', async () => {
    const { pool, events } = track(fixturePool({ size: 1, entry: CRASH_ON_START }));
    await expect(pool.acquire('pool')).rejects.toMatchObject({ code: 'TASK_PROCESS_DIED' });
    expect(events.some((event) => event.type === 'process_spawn_failed')).toBe(true);
  });

  it('close() ends idle and busy processes and refuses new work', async () => {
    const { pool } = track(fixturePool({ size: 2 }));
    const busy = await pool.acquire('pool');
    await vi.waitFor(() => expect(pool.stats().idle).toBe(1));
    await pool.close();
    expect(isGone(busy.pid)).toBe(true);
    expect(pool.stats()).toEqual({ idle: 0, busy: 1, starting: 0 });
    await expect(pool.acquire('pool')).rejects.toMatchObject({ code: 'TASK_PROCESS_POOL_CLOSED' });
  });

  it('lends a busy process to the next try when tries hold theirs briefly, instead of starting another', async () => {
    const { pool, events } = track(fixturePool({ size: 1, spawnWaitMs: 5_000 }));
    pool.release(await pool.acquire('pool'), { healthy: true }); // a short try: the pool learns tries are quick
    const busy = await pool.acquire('pool');
    const next = pool.acquire('pool');
    setTimeout(() => pool.release(busy, { healthy: true }), 20);
    expect((await next).pid).toBe(busy.pid);
    expect(events.filter((event) => event.type === 'process_spawned')).toHaveLength(1);
    pool.release(await next, { healthy: true });
  });

  it('starts a process at once when recent tries held theirs longer than spawnWaitMs', async () => {
    const { pool } = track(fixturePool({ size: 1, spawnWaitMs: 30 }));
    const slow = await pool.acquire('pool');
    await new Promise((resolve) => setTimeout(resolve, 120));
    pool.release(slow, { healthy: true }); // a long try: waiting for the next one to end would take long
    const busy = await pool.acquire('pool');
    const other = await pool.acquire('pool');
    expect(other.pid).not.toBe(busy.pid);
    pool.release(busy, { healthy: true });
    pool.release(other, { healthy: true });
  });

  it('starts a process for a waiting try when the wait runs out', async () => {
    const { pool } = track(fixturePool({ size: 1, spawnWaitMs: 60 }));
    pool.release(await pool.acquire('pool'), { healthy: true });
    const busy = await pool.acquire('pool');
    const asked = performance.now();
    const other = await pool.acquire('pool');
    expect(other.pid).not.toBe(busy.pid);
    expect(performance.now() - asked).toBeGreaterThanOrEqual(55);
    pool.release(busy, { healthy: true });
    pool.release(other, { healthy: true });
  });

  it('starts one more process when tries keep waiting for busy ones, as a steady stream of short tries does', async () => {
    const { pool, events } = track(fixturePool({ size: 1, spawnWaitMs: 100, recycleAfterTasks: 10_000 }));
    pool.release(await pool.acquire('pool'), { healthy: true }); // tries are short: each one waits its turn
    const spawned = () => events.filter((event) => event.type === 'process_spawned').length;
    const startedAt = performance.now();
    // Two tries at a time, each holding its process 10 ms, and one process: a try always waits.
    const stream = async (): Promise<void> => {
      while (performance.now() - startedAt < 1_500 && spawned() < 2) {
        const taskProcess = await pool.acquire('pool');
        await new Promise((resolve) => setTimeout(resolve, 10));
        pool.release(taskProcess, { healthy: true });
        // The waiting try takes the process before this one asks again, as in a busy executor.
        await new Promise((resolve) => setImmediate(resolve));
      }
    };
    await Promise.all([stream(), stream()]);
    expect(spawned()).toBe(2);
    // Each wait was short, yet no try found an idle process for spawnWaitMs.
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(100);
    await vi.waitFor(() => expect(pool.stats()).toEqual({ idle: 2, busy: 0, starting: 0 }));
    // With a process for each, nobody waits any more: the pool stays at two.
    const [first, second] = [await pool.acquire('pool'), await pool.acquire('pool')];
    expect(first.pid).not.toBe(second.pid);
    pool.release(first, { healthy: true });
    pool.release(second, { healthy: true });
    expect(spawned()).toBe(2);
  });

  it('rejects invalid options', () => {
    expect(() => fixturePool({ size: -1 })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => fixturePool({ recycleAfterTasks: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
