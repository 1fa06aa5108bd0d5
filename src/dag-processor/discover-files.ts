import { existsSync, readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';

/** Extensions the DAG processor imports. Declaration and test files are never DAG files. */
const DAG_FILE = /\.(ts|mts|js|mjs)$/;
const NOT_DAG_FILE = /(\.d\.ts|\.test\.[mc]?[jt]s|\.spec\.[mc]?[jt]s)$/;
export const IGNORE_FILE = '.updraftignore';

/**
 * Lists DAG files under `folder`, sorted, honouring `.updraftignore` files (gitignore syntax, as
 * Airflow 3's default glob syntax for `.airflowignore`) in the folder and any subfolder. Hidden
 * entries and node_modules are skipped: they are never DAG folders and can be huge.
 */
export async function discoverDagFiles(folder: string): Promise<string[]> {
  if (!existsSync(folder)) return [];
  const files: string[] = [];
  await walk(folder, folder, [], files);
  return files.sort();
}

interface ScopedIgnore {
  base: string;
  rules: Ignore;
}

async function walk(root: string, dir: string, inherited: ScopedIgnore[], out: string[]): Promise<void> {
  const scopes = [...inherited];
  const ignoreFile = join(dir, IGNORE_FILE);
  if (existsSync(ignoreFile)) scopes.push({ base: dir, rules: ignore().add(readFileSync(ignoreFile, 'utf8')) });

  const entries = await readdir(dir, { withFileTypes: true });
  for (const entry of entries) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    if (isIgnored(scopes, path, entry.isDirectory())) continue;
    if (entry.isDirectory()) await walk(root, path, scopes, out);
    else if (entry.isFile() && DAG_FILE.test(entry.name) && !NOT_DAG_FILE.test(entry.name)) out.push(path);
  }
}

function isIgnored(scopes: ScopedIgnore[], path: string, isDirectory: boolean): boolean {
  return scopes.some(({ base, rules }) => {
    const rel = relative(base, path).split(sep).join('/');
    return rules.ignores(isDirectory ? `${rel}/` : rel);
  });
}
