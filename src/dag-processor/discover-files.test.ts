import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { discoverDagFiles, isDiscoverableDagFile } from './discover-files.ts';

describe('isDiscoverableDagFile agrees with discoverDagFiles', () => {
  let folder: string;
  const write = (rel: string, text = ''): void => {
    mkdirSync(dirname(join(folder, rel)), { recursive: true });
    writeFileSync(join(folder, rel), text);
  };
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'updraft-discover-'));
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('for ignore files at several levels, hidden folders, node_modules and non-DAG names', async () => {
    write('.updraftignore', 'legacy/\n*_draft.ts\n');
    write('team/.updraftignore', 'local.ts\n');
    const candidates = [
      'a.ts',
      'b.mts',
      'c.js',
      'notes.md',
      'types.d.ts',
      'a.test.ts',
      'x_draft.ts',
      'legacy/old.ts',
      'team/local.ts',
      'team/shared.ts',
      'team/deep/local.ts',
      'other/local.ts',
      '.hidden/h.ts',
      'node_modules/pkg/index.js',
    ];
    for (const rel of candidates) write(rel);
    const discovered = await discoverDagFiles(folder);
    expect(discovered.map((file) => file.slice(folder.length + 1))).toEqual(['a.ts', 'b.mts', 'c.js', 'other/local.ts', 'team/shared.ts']);
    for (const rel of candidates) expect([rel, isDiscoverableDagFile(folder, join(folder, rel))]).toEqual([rel, discovered.includes(join(folder, rel))]);
    expect(isDiscoverableDagFile(folder, join(dirname(folder), 'outside.ts'))).toBe(false);
  });
});
