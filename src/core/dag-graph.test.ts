import { describe, expect, it } from 'vitest';
import { buildDag } from '../../test/core/dag-builder.ts';
import { dependsOnPreviousRun } from './dag-graph.ts';

describe('dependsOnPreviousRun', () => {
  it('is true when any task depends on past or waits for downstream, false otherwise', () => {
    expect(dependsOnPreviousRun(buildDag({ a: {}, b: { upstream: ['a'] } }))).toBe(false);
    expect(dependsOnPreviousRun(buildDag({ a: {}, b: { upstream: ['a'], dependsOnPast: true } }))).toBe(true);
    expect(dependsOnPreviousRun(buildDag({ a: { waitForDownstream: true }, b: { upstream: ['a'] } }))).toBe(true);
  });

  it('answers each DAG version from its own tasks, not from another version of the same DAG', () => {
    const before = buildDag({ a: {} });
    const after = buildDag({ a: { dependsOnPast: true } });
    expect(dependsOnPreviousRun(before)).toBe(false);
    expect(dependsOnPreviousRun(after)).toBe(true);
    expect(dependsOnPreviousRun(before)).toBe(false);
  });
});
