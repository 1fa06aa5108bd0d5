import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

const UI_SRC = fileURLToPath(new URL('../../ui/src/', import.meta.url));
const IMPORT = /(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]/g;

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx)$/.test(entry.name) ? [path] : [];
  });
}

// DESIGN.md §3: the UI talks to the server only through the REST API (the generated client), so
// no file in ui/src may import anything outside ui/src (packages from node_modules are fine).
test('ui/src imports nothing from the server code', () => {
  const escapes: string[] = [];
  const files = sourceFiles(UI_SRC);
  for (const file of files) {
    for (const match of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const specifier = match[1] ?? match[2] ?? match[3] ?? '';
      if (!specifier.startsWith('.')) continue;
      const target = resolve(dirname(file), specifier);
      if (relative(UI_SRC, target).startsWith('..')) escapes.push(`${relative(UI_SRC, file)} -> ${specifier}`);
    }
  }
  expect(files.length).toBeGreaterThan(30);
  expect(escapes).toEqual([]);
});
