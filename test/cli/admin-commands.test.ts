import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.ts';

/** Variables, connections, config and db commands against a real SQLite home. */
describe('admin commands', () => {
  let home: string;
  let env: NodeJS.ProcessEnv;
  const cli = (...args: string[]) => runCli(args, env);

  beforeAll(() => {
    home = mkdtempSync(join(tmpdir(), 'updraft-admin-'));
    env = { UPDRAFT_HOME: home, UPDRAFT__CORE__LOAD_EXAMPLES: 'false', UPDRAFT__CORE__DAGS_FOLDER: join(home, 'dags') };
  });
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it('sets, reads, lists, exports, imports and deletes variables', async () => {
    expect((await cli('variables', 'set', 'threshold', '10')).code).toBe(0);
    expect((await cli('variables', 'set', 'settings', '{"mode": "fast"}', '--json')).code).toBe(0);
    expect((await cli('variables', 'set', 'token', 's3cret', '--encrypt')).code).toBe(0);
    expect((await cli('variables', 'get', 'threshold')).stdout.trim()).toBe('10');
    expect(JSON.parse((await cli('variables', 'get', 'settings', '--json')).stdout)).toEqual({ mode: 'fast' });
    expect((await cli('variables', 'get', 'token')).stdout.trim()).toBe('s3cret');
    expect(readFileSync(join(home, 'updraft.db')).includes('s3cret')).toBe(false);

    const list = JSON.parse((await cli('variables', 'list', '--json')).stdout) as { key: string; encrypted: boolean }[];
    expect(list.map((v) => [v.key, v.encrypted])).toEqual([['settings', false], ['threshold', false], ['token', true]]);

    const exported = join(home, 'vars.json');
    expect((await cli('variables', 'export', exported)).code).toBe(0);
    expect(JSON.parse(readFileSync(exported, 'utf8'))).toEqual({ settings: '{"mode": "fast"}', threshold: '10', token: 's3cret' });
    writeFileSync(exported, JSON.stringify({ imported: { nested: true } }));
    expect((await cli('variables', 'import', exported)).code).toBe(0);
    expect(JSON.parse((await cli('variables', 'get', 'imported', '--json')).stdout)).toEqual({ nested: true });

    expect((await cli('variables', 'delete', 'threshold')).code).toBe(0);
    const missing = await cli('variables', 'get', 'threshold');
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/^error VARIABLE_NOT_FOUND: No variable "threshold"/);
    expect((await cli('variables', 'get', 'threshold', '--default', 'fallback')).stdout.trim()).toBe('fallback');
  });

  it('rejects a value that is not JSON with --json, naming the variable', async () => {
    const result = await cli('variables', 'set', 'broken', '{nope', '--json');
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/^error VARIABLE_NOT_JSON: Variable "broken" is not JSON/);
  });

  it('adds connections from a URI and from JSON, never printing the password', async () => {
    const uri = await cli('connections', 'add', 'warehouse', '--conn-uri', 'postgres://etl:p%40ss@db.internal:5432/analytics?sslmode=require');
    expect(uri.code).toBe(0);
    const shown = JSON.parse((await cli('connections', 'get', 'warehouse', '--json')).stdout) as Record<string, unknown>;
    expect(shown).toMatchObject({ connType: 'postgres', host: 'db.internal', port: 5432, schema: 'analytics', login: 'etl', password: '***', extra: { sslmode: 'require' } });
    expect((await cli('connections', 'get', 'warehouse')).stdout).not.toContain('p%40ss');

    const json = await cli('connections', 'add', 'api', '--conn-json', JSON.stringify({ conn_type: 'http', host: 'api.example.com', extra: { timeout: 30 } }));
    expect(json.code).toBe(0);
    const list = JSON.parse((await cli('connections', 'list', '--json')).stdout) as { conn_id: string }[];
    expect(list.map((c) => c.conn_id)).toEqual(['api', 'warehouse']);
    expect(readFileSync(join(home, 'updraft.db')).includes('p@ss')).toBe(false);

    const bad = await cli('connections', 'add', 'bad', '--conn-uri', 'not a uri');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error CONN_INVALID_URI: /);
    expect((await cli('connections', 'delete', 'api')).code).toBe(0);
    expect((await cli('connections', 'get', 'api')).code).toBe(3);
  });

  it('reads configuration with the environment winning over defaults', async () => {
    expect((await cli('config', 'get', 'core', 'load_examples')).stdout.trim()).toBe('false');
    expect((await cli('config', 'get', 'core', 'parallelism')).stdout.trim()).toBe('32');
    const unknown = await cli('config', 'get', 'core', 'nope');
    expect(unknown.code).toBe(4);
    expect(unknown.stderr).toMatch(/^error CONFIG_UNKNOWN_KEY: Unknown configuration key core\.nope/);
    const list = JSON.parse((await cli('config', 'list', '--json')).stdout) as { key: string; value: unknown }[];
    expect(list.find((row) => row.key === 'core.secret_key')?.value).toBe('***');
  });

  it('migrates, checks and resets the database', async () => {
    expect((await cli('db', 'migrate')).stdout).toMatch(/up to date|Applied/);
    expect((await cli('db', 'check')).code).toBe(0);
    expect((await cli('db', 'reset')).code).toBe(2);
    expect((await cli('db', 'reset', '--yes')).code).toBe(0);
    expect((await cli('variables', 'list', '--json')).stdout.trim()).toBe('[]');
  });
});
