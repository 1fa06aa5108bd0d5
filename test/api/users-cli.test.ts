import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.ts';

/** `updraft users ...` as a user runs it, on a fresh home with its own SQLite database. */
describe('updraft users', () => {
  let home: string;
  let env: NodeJS.ProcessEnv;
  beforeAll(() => {
    home = mkdtempSync(join(tmpdir(), 'updraft-users-cli-'));
    env = { UPDRAFT_HOME: home, UPDRAFT__CORE__LOAD_EXAMPLES: 'false' };
  });
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it('creates (with a generated password), lists, resets, makes a token and deletes', async () => {
    const created = await runCli(['users', 'create', '-u', 'alice', '-r', 'Op', '-e', 'alice@example.org'], env);
    expect(created.stderr).toBe('');
    expect(created.stdout).toMatch(/Password \(shown once\): \S{20,}/);
    const list = await runCli(['users', 'list', '--json'], env);
    expect(JSON.parse(list.stdout)).toEqual([expect.objectContaining({ username: 'alice', role: 'Op', email: 'alice@example.org' })]);
    expect(list.stdout).not.toContain('scrypt');
    expect((await runCli(['users', 'reset-password', '-u', 'alice', '-p', 'a new long password'], env)).code).toBe(0);
    const token = await runCli(['users', 'create-token', '-u', 'alice', '-n', 'ci'], env);
    expect(token.stdout.trim()).toMatch(/^updr_/);
    const duplicate = await runCli(['users', 'create', '-u', 'alice', '-r', 'Op', '-p', 'another password'], env);
    expect(duplicate.code).not.toBe(0);
    expect(duplicate.stderr).toContain('USER_EXISTS');
    const badRole = await runCli(['users', 'create', '-u', 'bob', '-r', 'Boss', '-p', 'another password'], env);
    expect(badRole.stderr).toContain('INVALID_ARGUMENT');
    expect((await runCli(['users', 'delete', '-u', 'alice'], env)).code).toBe(0);
    const missing = await runCli(['users', 'delete', '-u', 'alice'], env);
    expect(missing.stderr).toContain('USER_NOT_FOUND');
  });
});
