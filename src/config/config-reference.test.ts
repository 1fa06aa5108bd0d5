import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderConfigReference } from './config-reference.ts';

describe('docs/configuration.md', () => {
  it('is exactly what `updraft config docs` generates from the spec', () => {
    const committed = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');
    expect(committed, 'run `npx updraft config docs > docs/configuration.md`').toBe(`${renderConfigReference()}\n`);
  });
});
