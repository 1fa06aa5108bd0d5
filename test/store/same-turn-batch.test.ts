import { describe, expect, it } from 'vitest';
import { SameTurnBatch, type Settled } from '../../src/store/same-turn-batch.ts';

/** A flush that records each batch it is given and doubles every number (rejecting the batch if it holds a negative one). */
function doubling() {
  const batches: number[][] = [];
  const flush = async (items: number[]): Promise<Settled<number>[]> => {
    batches.push(items);
    if (items.some((item) => item < 0)) throw new Error(`negative in ${items.join(',')}`);
    return items.map((item) => ({ ok: true, value: item * 2 }));
  };
  return { batches, flush };
}

describe('SameTurnBatch', () => {
  it('hands what one turn submits to one flush, and the next turn to another', async () => {
    const { batches, flush } = doubling();
    const batch = new SameTurnBatch(flush);
    expect(await Promise.all([batch.submit(1), batch.submit(2), batch.submit(3)])).toEqual([2, 4, 6]);
    expect(await batch.submit(4)).toBe(8);
    expect(batches).toEqual([[1, 2, 3], [4]]);
  });

  it('leaves before the end of the turn while atOnce says so, with what the submitting code added', async () => {
    const { batches, flush } = doubling();
    let few = true;
    const batch = new SameTurnBatch(flush, { atOnce: () => few });
    const order: string[] = [];
    const endOfTurn = new Promise<void>((resolve) => setImmediate(() => resolve(void order.push('end of turn'))));
    const together = Promise.all([batch.submit(1), batch.submit(2)]).then((values) => order.push(`flushed ${values.join(',')}`));
    await Promise.all([together, endOfTurn]);
    expect(order).toEqual(['flushed 2,4', 'end of turn']);

    // Otherwise the batch waits for the end of its turn, as every turn's batch does.
    few = false;
    order.length = 0;
    const nextTurn = new Promise<void>((resolve) => setImmediate(() => resolve(void order.push('end of turn'))));
    const alone = batch.submit(3).then((value) => order.push(`flushed ${value}`));
    await Promise.all([alone, nextTurn]);
    expect(order).toEqual(['end of turn', 'flushed 6']);
    expect(batches).toEqual([[1, 2], [3]]);
  });

  it('keeps at most maxInFlight batches on their way; what comes meanwhile leaves with the next', async () => {
    const batches: number[][] = [];
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const batch = new SameTurnBatch<number, number>(
      async (items) => {
        batches.push(items);
        if (batches.length === 1) await held;
        return items.map((item) => ({ ok: true, value: item }));
      },
      { maxInFlight: 1 },
    );
    const first = batch.submit(1);
    await new Promise((resolve) => setImmediate(resolve));
    // The first batch is on its way: these three turns wait for it, then go together.
    const later = [batch.submit(2)];
    await new Promise((resolve) => setImmediate(resolve));
    later.push(batch.submit(3));
    await new Promise((resolve) => setImmediate(resolve));
    later.push(batch.submit(4));
    expect(batches).toEqual([[1]]);
    release();
    expect(await Promise.all([first, ...later])).toEqual([1, 2, 3, 4]);
    expect(batches).toEqual([[1], [2, 3, 4]]);
  });

  it('rejects every item of a batch whose flush throws', async () => {
    const { flush } = doubling();
    const batch = new SameTurnBatch(flush);
    const results = await Promise.allSettled([batch.submit(1), batch.submit(-1)]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
  });

  it('with retryAlone, runs a failed batch again item by item: only the failing item rejects', async () => {
    const { batches, flush } = doubling();
    const batch = new SameTurnBatch(flush, { retryAlone: true });
    const results = await Promise.allSettled([batch.submit(1), batch.submit(-1), batch.submit(3)]);
    expect(results).toEqual([
      { status: 'fulfilled', value: 2 },
      { status: 'rejected', reason: new Error('negative in -1') },
      { status: 'fulfilled', value: 6 },
    ]);
    expect(batches).toEqual([[1, -1, 3], [1], [-1], [3]]);
  });
});
