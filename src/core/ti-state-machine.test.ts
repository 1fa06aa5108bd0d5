import { describe, expect, it } from 'vitest';
import { TASK_INSTANCE_STATES } from '../contracts/states.ts';
import type { TaskInstanceState } from '../contracts/states.ts';
import { assertTransition, canTransition } from './ti-state-machine.ts';

/** The whole table written out independently of the implementation, so all 169 pairs are checked. */
const ALLOWED: Record<TaskInstanceState, TaskInstanceState[]> = {
  none: ['scheduled', 'skipped', 'upstream_failed', 'removed', 'success', 'failed'],
  scheduled: ['queued', 'none', 'removed', 'success', 'failed', 'skipped'],
  queued: ['running', 'scheduled', 'failed', 'up_for_retry', 'none', 'removed', 'success', 'skipped'],
  running: ['success', 'failed', 'up_for_retry', 'up_for_reschedule', 'skipped', 'deferred', 'restarting', 'removed'],
  success: ['none', 'removed', 'failed', 'skipped'],
  failed: ['none', 'removed', 'success', 'skipped'],
  up_for_retry: ['scheduled', 'queued', 'none', 'removed', 'success', 'failed', 'skipped'],
  up_for_reschedule: ['scheduled', 'queued', 'none', 'removed', 'success', 'failed', 'skipped'],
  upstream_failed: ['none', 'removed', 'success', 'failed', 'skipped'],
  skipped: ['none', 'removed', 'success', 'failed'],
  removed: ['none', 'success', 'failed', 'skipped'],
  restarting: ['scheduled', 'up_for_retry', 'failed', 'none', 'removed', 'success', 'skipped'],
  deferred: ['scheduled', 'queued', 'failed', 'up_for_retry', 'none', 'removed', 'success', 'skipped'],
};

const pairs = TASK_INSTANCE_STATES.flatMap((from) => TASK_INSTANCE_STATES.map((to) => ({ from, to, allowed: ALLOWED[from].includes(to) })));

describe('task instance state machine', () => {
  it.each(pairs)('$from -> $to allowed: $allowed', ({ from, to, allowed }) => {
    expect(canTransition(from, to)).toBe(allowed);
  });

  it('walks the happy path, a retry and a deferral', () => {
    const path: TaskInstanceState[] = ['none', 'scheduled', 'queued', 'running', 'up_for_retry', 'scheduled', 'queued', 'running', 'deferred', 'scheduled', 'queued', 'running', 'success'];
    for (let i = 1; i < path.length; i++) expect(() => assertTransition(path[i - 1] ?? 'none', path[i] ?? 'none')).not.toThrow();
  });

  it('rejects a forbidden move with INVALID_STATE_TRANSITION and says what was tried', () => {
    expect(() => assertTransition('success', 'running')).toThrow(
      expect.objectContaining({ code: 'INVALID_STATE_TRANSITION', details: { from: 'success', to: 'running' } }),
    );
    expect(() => assertTransition('running', 'running')).toThrow(expect.objectContaining({ code: 'INVALID_STATE_TRANSITION' }));
  });

  it('points at restarting when someone clears a running instance straight to none', () => {
    expect(() => assertTransition('running', 'none')).toThrow(expect.objectContaining({ hint: expect.stringContaining('restarting') }));
  });
});
