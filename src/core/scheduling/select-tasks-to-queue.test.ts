import { describe, expect, it } from 'vitest';
import { selectTasksToQueue } from './select-tasks-to-queue.ts';
import type { CommandOfType, QueueCandidate, QueueLimits } from './types.ts';
import { runKeyOf } from './types.ts';

function candidate(taskId: string, overrides: Partial<QueueCandidate> = {}): QueueCandidate {
  return {
    key: { dagId: 'd', runId: 'r1', taskId, mapIndex: -1 },
    tryNumber: 0,
    resumesTry: false,
    priorityWeight: 1,
    logicalDate: 1000,
    pool: 'default_pool',
    poolSlots: 1,
    executor: 'LocalExecutor',
    maxActiveTasks: 16,
    ...overrides,
  };
}

function limits(overrides: Partial<QueueLimits> = {}): QueueLimits {
  return {
    poolOpenSlots: new Map([['default_pool', 128]]),
    activeTasksPerRun: new Map(),
    executorSlots: new Map([['LocalExecutor', 32]]),
    parallelism: 32,
    ...overrides,
  };
}

const queued = (candidates: QueueCandidate[], l: QueueLimits = limits()) =>
  (selectTasksToQueue({ candidates, limits: l }) as CommandOfType<'queue_ti'>[]).map((c) => `${c.key.runId}/${c.key.taskId}`);

describe('selectTasksToQueue', () => {
  it('orders by priority weight, then logical date, then task id', () => {
    const candidates = [
      candidate('b'),
      candidate('a'),
      candidate('late', { key: { dagId: 'd', runId: 'r0', taskId: 'late', mapIndex: -1 }, logicalDate: 500 }),
      candidate('heavy', { priorityWeight: 10 }),
    ];
    expect(queued(candidates)).toEqual(['r1/heavy', 'r0/late', 'r1/a', 'r1/b']);
  });

  it('honours pool open slots with poolSlots, passing over what does not fit', () => {
    const l = limits({ poolOpenSlots: new Map([['default_pool', 128], ['one', 1], ['three', 3]]) });
    const candidates = [
      candidate('p1', { pool: 'one', priorityWeight: 9 }),
      candidate('p2', { pool: 'one', priorityWeight: 8 }),
      candidate('big', { pool: 'three', poolSlots: 2, priorityWeight: 7 }),
      candidate('too_big', { pool: 'three', poolSlots: 2, priorityWeight: 6 }),
      candidate('small', { pool: 'three', poolSlots: 1, priorityWeight: 5 }),
      candidate('no_pool', { pool: 'missing' }),
    ];
    expect(queued(candidates, l)).toEqual(['r1/p1', 'r1/big', 'r1/small']);
  });

  it('honours maxActiveTasks per run, counting tasks already queued or running', () => {
    const l = limits({ activeTasksPerRun: new Map([[runKeyOf('d', 'r1'), 1]]) });
    const other = { dagId: 'd', runId: 'r2', taskId: 'x', mapIndex: -1 };
    expect(queued([candidate('a', { maxActiveTasks: 2 }), candidate('b', { maxActiveTasks: 2 }), candidate('x', { key: other, maxActiveTasks: 2 })], l)).toEqual([
      'r1/a',
      'r2/x',
    ]);
  });

  it('honours executor free slots and parallelism', () => {
    const k8s = candidate('k', { executor: 'KubernetesExecutor', priorityWeight: 5 });
    expect(queued([k8s, candidate('a'), candidate('b')], limits({ executorSlots: new Map([['LocalExecutor', 1]]) }))).toEqual(['r1/a']);
    expect(queued([candidate('a'), candidate('b'), candidate('c')], limits({ parallelism: 2 }))).toEqual(['r1/a', 'r1/b']);
  });

  it('starts the next try, or resumes a rescheduled one', () => {
    const commands = selectTasksToQueue({ candidates: [candidate('a', { tryNumber: 2 }), candidate('s', { tryNumber: 1, resumesTry: true })], limits: limits() });
    expect(commands.map((c) => c.type === 'queue_ti' && [c.key.taskId, c.fromTryNumber, c.tryNumber])).toEqual([
      ['a', 2, 3],
      ['s', 1, 1],
    ]);
  });
});
