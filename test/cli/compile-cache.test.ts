import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli } from '../support/run-cli.ts';

const COMPILE_CACHE_MODULE = join(REPO_ROOT, 'src/contracts/compile-cache.ts');

/** Turns the cache on in a fresh process and reports what a process it starts finds in NODE_COMPILE_CACHE. */
const PROCESS_TREE_PROBE = `
  const { enableCompileCacheForProcessTree } = await import(${JSON.stringify(COMPILE_CACHE_MODULE)});
  enableCompileCacheForProcessTree();
  const { execFileSync } = await import('node:child_process');
  process.stdout.write(execFileSync(process.execPath, ['-p', 'process.env.NODE_COMPILE_CACHE ?? "(unset)"']).toString());
`;

function filesUnder(folder: string): string[] {
  return existsSync(folder) ? readdirSync(folder, { recursive: true, encoding: 'utf8' }) : [];
}

describe('the compile cache of Updraft processes', () => {
  let scratch: string;

  afterEach(() => rmSync(scratch, { recursive: true, force: true }));

  function probeProcessTree(env: NodeJS.ProcessEnv): string {
    const { NODE_COMPILE_CACHE: _inherited, NODE_DISABLE_COMPILE_CACHE: _disabled, ...rest } = process.env;
    return execFileSync(process.execPath, ['--input-type=module', '-e', PROCESS_TREE_PROBE], { env: { ...rest, ...env } }).toString().trim();
  }

  it('is turned on by the updraft command, and holds the CLI modules once a command has run', async () => {
    scratch = mkdtempSync(join(tmpdir(), 'updraft-compile-cache-'));
    // No NODE_COMPILE_CACHE (with it, Node turns the cache on by itself): Node's default place, under TMPDIR.
    const result = await runCli(['--help'], { TMPDIR: scratch });
    expect(result.code).toBe(0);
    // One entry a module, in a folder named for the Node version; the CLI loads well over a hundred.
    expect(filesUnder(join(scratch, 'node-compile-cache')).length).toBeGreaterThan(100);
  });

  it('reaches the processes a process starts, in Node`s default place when none is named', () => {
    scratch = mkdtempSync(join(tmpdir(), 'updraft-compile-cache-'));
    expect(probeProcessTree({ TMPDIR: scratch })).toBe(join(scratch, 'node-compile-cache'));
  });

  it('stays off, for the whole tree, with NODE_DISABLE_COMPILE_CACHE=1', () => {
    scratch = mkdtempSync(join(tmpdir(), 'updraft-compile-cache-'));
    expect(probeProcessTree({ TMPDIR: scratch, NODE_DISABLE_COMPILE_CACHE: '1' })).toBe('(unset)');
    expect(filesUnder(join(scratch, 'node-compile-cache'))).toEqual([]);
  });
});
