import { describe, expect, it } from 'vitest';
import { buildDag } from '../../test/core/dag-builder.ts';
import { priorityWeights } from './priority-weights.ts';

// A diamond with a tail: a -> (b, c) -> d -> e; weights 1, 2, 4, 8, 16 so every sum is unique.
function diamond(weightRule: 'downstream' | 'upstream' | 'absolute') {
  return buildDag({
    a: { priorityWeight: 1, weightRule },
    b: { upstream: ['a'], priorityWeight: 2, weightRule },
    c: { upstream: ['a'], priorityWeight: 4, weightRule },
    d: { upstream: ['b', 'c'], priorityWeight: 8, weightRule },
    e: { upstream: ['d'], priorityWeight: 16, weightRule },
  });
}

describe('priorityWeights', () => {
  it('downstream: own weight plus every descendant, each counted once', () => {
    expect(Object.fromEntries(priorityWeights(diamond('downstream')))).toEqual({ a: 31, b: 26, c: 28, d: 24, e: 16 });
  });

  it('upstream: own weight plus every ancestor, each counted once', () => {
    expect(Object.fromEntries(priorityWeights(diamond('upstream')))).toEqual({ a: 1, b: 3, c: 5, d: 15, e: 31 });
  });

  it('absolute: own weight only', () => {
    expect(Object.fromEntries(priorityWeights(diamond('absolute')))).toEqual({ a: 1, b: 2, c: 4, d: 8, e: 16 });
  });

  it('mixes rules per task and counts relatives by their own weight, not their total', () => {
    const dag = buildDag({
      a: { priorityWeight: 10, weightRule: 'absolute' },
      b: { upstream: ['a'], priorityWeight: 3, weightRule: 'upstream' },
      c: { upstream: ['b'], priorityWeight: 5, weightRule: 'downstream' },
    });
    expect(Object.fromEntries(priorityWeights(dag))).toEqual({ a: 10, b: 13, c: 5 });
  });
});
