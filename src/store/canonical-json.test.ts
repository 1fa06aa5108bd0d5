import { describe, expect, it } from 'vitest';
import { canonicalJson, sha256Hex } from './canonical-json.ts';

describe('canonicalJson', () => {
  it('sorts object keys at every depth and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}');
  });

  it('gives equal hashes for equal values built in different orders, different ones otherwise', () => {
    expect(sha256Hex(canonicalJson({ x: 1, y: [1, 2] }))).toBe(sha256Hex(canonicalJson({ y: [1, 2], x: 1 })));
    expect(sha256Hex(canonicalJson({ x: 1, y: [1, 2] }))).not.toBe(sha256Hex(canonicalJson({ x: 1, y: [2, 1] })));
  });
});
