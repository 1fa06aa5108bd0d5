import { createHash } from 'node:crypto';

/**
 * JSON with object keys sorted at every level, so that two equal values always give the same text
 * (and the same hash) whatever order their keys were built in. Array order is kept: it is meaningful.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, nested: unknown) =>
    nested !== null && typeof nested === 'object' && !Array.isArray(nested)
      ? Object.fromEntries(Object.entries(nested).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : nested,
  );
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
