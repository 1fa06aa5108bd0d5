import { describe, expect, it } from 'vitest';
import { WakeSignal } from './wake-signal.ts';

describe('WakeSignal', () => {
  it('keeps a wake that arrives while nobody waits, so the next wait returns at once', async () => {
    const signal = new WakeSignal();
    signal.wake();
    expect(await signal.wait(10_000)).toBe('woken');
    expect(await signal.wait(5)).toBe('timeout');
  });

  it('wakes within the given time, once, unless woken sooner', async () => {
    const signal = new WakeSignal();
    const started = performance.now();
    signal.wakeWithin(30);
    signal.wakeWithin(5_000); // a wake-up already due sooner stands
    expect(await signal.wait(10_000)).toBe('woken');
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
    expect(await signal.wait(60)).toBe('timeout');

    signal.wakeWithin(40);
    signal.wake(); // woken now: the later wake-up is dropped
    expect(await signal.wait(10_000)).toBe('woken');
    expect(await signal.wait(80)).toBe('timeout');
  });
});
