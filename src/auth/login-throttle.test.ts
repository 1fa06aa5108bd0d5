import { describe, expect, it } from 'vitest';
import { LoginThrottle } from './login-throttle.ts';

describe('LoginThrottle', () => {
  it('allows five failures, then doubles the wait per failure, per username', () => {
    const throttle = new LoginThrottle();
    const now = 1_000_000;
    for (let i = 0; i < 4; i++) throttle.recordFailure('alice', now);
    expect(throttle.waitFor('alice', now)).toBe(0);
    throttle.recordFailure('alice', now);
    expect(throttle.waitFor('alice', now)).toBe(1_000);
    throttle.recordFailure('alice', now);
    expect(throttle.waitFor('alice', now)).toBe(2_000);
    expect(throttle.waitFor('alice', now + 2_000)).toBe(0);
    expect(throttle.waitFor('bob', now)).toBe(0);
  });

  it('caps the wait at 15 minutes and forgets a username after a success', () => {
    const throttle = new LoginThrottle();
    for (let i = 0; i < 40; i++) throttle.recordFailure('alice', 0);
    expect(throttle.waitFor('alice', 0)).toBe(15 * 60_000);
    throttle.recordSuccess('alice');
    expect(throttle.waitFor('alice', 0)).toBe(0);
  });
});
