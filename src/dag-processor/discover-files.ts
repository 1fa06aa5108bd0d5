import { existsSync, readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { basename, isAbsolute, join, relative, sep } from 'node:path';
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
  await walk(folder, [], files);
  return files.sort();
}

/** Whether a file name has a DAG file's extension (and is not a declaration or test file). */
export function isDagFileName(name: string): boolean {
  return DAG_FILE.test(name) && !NOT_DAG_FILE.test(name);
}

/** Hidden entries and node_modules are never walked, whatever the ignore files say. */
export function isSkippedEntry(name: string): boolean {
  return name.startsWith('.') || name === 'node_modules';
}

/**
 * Whether discoverDagFiles(folder) would list `file` if it exists, judged from the ignore files on
 * its path alone: the watcher asks this for every changed path, and walking thousands of files per
 * change would be too slow.
 */
export function isDiscoverableDagFile(folder: string, file: string): boolean {
  const rel = relative(folder, file);
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel) || !isDagFileName(basename(file))) return false;
  const segments = rel.split(sep);
  let scopes: ScopedIgnore[] = [];
  let dir = folder;
  for (const [index, name] of segments.entries()) {
    scopes = withIgnoreFileOf(dir, scopes);
    const path = join(dir, name);
    const isDirectory = index < segments.length - 1;
    if (isSkippedEntry(name) || isIgnored(scopes, path, isDirectory)) return false;
    dir = path;
  }
  return true;
}

interface ScopedIgnore {
  base: string;
  rules: Ignore;
}

async function walk(dir: string, inherited: ScopedIgnore[], out: string[]): Promise<void> {
  const scopes = withIgnoreFileOf(dir, inherited);
  const entries = await readdir(dir, { withFileTypes: true });
  for (const entry of entries) {
    if (isSkippedEntry(entry.name)) continue;
    const path = join(dir, entry.name);
    if (isIgnored(scopes, path, entry.isDirectory())) continue;
    if (entry.isDirectory()) await walk(path, scopes, out);
    else if (entry.isFile() && isDagFileName(entry.name)) out.push(path);
  }
}

/** The ignore scopes that apply inside `dir`: the inherited ones plus `dir`'s own ignore file. */
function withIgnoreFileOf(dir: string, inherited: ScopedIgnore[]): ScopedIgnore[] {
  const ignoreFile = join(dir, IGNORE_FILE);
  if (!existsSync(ignoreFile)) return inherited;
  return [...inherited, { base: dir, rules: ignore().add(readFileSync(ignoreFile, 'utf8')) }];
}

function isIgnored(scopes: ScopedIgnore[], path: string, isDirectory: boolean): boolean {
  return scopes.some(({ base, rules }) => {
    const rel = relative(base, path).split(sep).join('/');
    return rules.ignores(isDirectory ? `${rel}/` : rel);
  });
}
