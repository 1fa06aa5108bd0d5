import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_RETRY_DELAY_SECONDS, fnv1a32, nextRetryAt, shouldRetry } from './retries.ts';
import type { RetryPolicy } from './retries.ts';

const failedAt = Date.UTC(2024, 0, 1);
const policy = (overrides: Partial<RetryPolicy> = {}): RetryPolicy => ({
  taskId: 'load',
  retryDelaySeconds: 60,
  retryExponentialBackoff: true,
  maxRetryDelaySeconds: null,
  ...overrides,
});
const delaySeconds = (task: RetryPolicy, tryNumber: number, runKey = 'dag/run_1') => (nextRetryAt(task, tryNumber, failedAt, runKey) - failedAt) / 1000;

describe('shouldRetry', () => {
  it.each([
    [1, 0, false],
    [1, 1, true],
    [2, 1, false],
    [2, 3, true],
    [3, 3, true],
    [4, 3, false],
  ])('try %i with %i retries -> %s', (tryNumber, retries, expected) => {
    expect(shouldRetry(tryNumber, retries)).toBe(expected);
  });
});

describe('nextRetryAt', () => {
  it('waits exactly the retry delay without backoff, whatever the try', () => {
    expect(delaySeconds(policy({ retryExponentialBackoff: false, retryDelaySeconds: 300 }), 1)).toBe(300);
    expect(delaySeconds(policy({ retryExponentialBackoff: false, retryDelaySeconds: 300 }), 7)).toBe(300);
  });

  it.each([1, 2, 3, 4, 5])('with backoff, try %i waits between base*2^(try-1) and twice that, in whole seconds', (tryNumber) => {
    const floor = 60 * 2 ** (tryNumber - 1);
    const delay = delaySeconds(policy(), tryNumber);
    expect(Number.isInteger(delay)).toBe(true);
    expect(delay).toBeGreaterThanOrEqual(floor);
    expect(delay).toBeLessThan(2 * floor);
  });

  it('is deterministic for the same run, task and try', () => {
    expect(delaySeconds(policy(), 3)).toBe(delaySeconds(policy(), 3));
  });

  it('spreads the retries of many tasks that failed together', () => {
    const delays = new Set(Array.from({ length: 50 }, (_, i) => delaySeconds(policy({ taskId: `task_${i}` }), 4)));
    expect(delays.size).toBeGreaterThan(25);
  });

  it('depends on the run, so the same task retries at different offsets in different runs', () => {
    const delays = new Set(Array.from({ length: 20 }, (_, i) => delaySeconds(policy(), 4, `dag/run_${i}`)));
    expect(delays.size).toBeGreaterThan(10);
  });

  it('caps at 24 hours by default, even for absurd try numbers', () => {
    expect(delaySeconds(policy({ retryDelaySeconds: 300 }), 20)).toBe(DEFAULT_MAX_RETRY_DELAY_SECONDS);
    expect(delaySeconds(policy(), 5000)).toBe(DEFAULT_MAX_RETRY_DELAY_SECONDS);
  });

  it('caps at the task maximum', () => {
    expect(delaySeconds(policy({ maxRetryDelaySeconds: 600 }), 5)).toBe(600);
  });

  it('waits at least a second with a zero base delay', () => {
    expect(delaySeconds(policy({ retryDelaySeconds: 0 }), 1)).toBe(1);
  });
});

describe('fnv1a32', () => {
  it('matches the published FNV-1a test vectors', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });
});
