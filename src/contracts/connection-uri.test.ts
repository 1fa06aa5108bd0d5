import { describe, expect, it } from 'vitest';
import type { ConnectionData } from './connection.ts';
import { parseConnectionUri, toConnectionUri } from './connection-uri.ts';

describe('parseConnectionUri', () => {
  it('reads every part of an Airflow URI, decoding userinfo and schema', () => {
    expect(parseConnectionUri('db', 'postgres://user:p%40ss@host:5432/schema?sslmode=require')).toEqual({
      connId: 'db',
      connType: 'postgres',
      description: null,
      host: 'host',
      schema: 'schema',
      login: 'user',
      password: 'p@ss',
      port: 5432,
      extra: { sslmode: 'require' },
    });
  });

  it('normalizes postgresql to postgres and dashes to underscores', () => {
    expect(parseConnectionUri('a', 'postgresql://h').connType).toBe('postgres');
    expect(parseConnectionUri('b', 'google-cloud-platform://').connType).toBe('google_cloud_platform');
  });

  it('leaves absent parts null and extra empty', () => {
    expect(parseConnectionUri('h', 'http://example.com')).toEqual({
      connId: 'h',
      connType: 'http',
      description: null,
      host: 'example.com',
      schema: null,
      login: null,
      password: null,
      port: null,
      extra: {},
    });
  });

  it('keeps a password that contains colons and an empty password', () => {
    expect(parseConnectionUri('x', 'mysql://u:a:b:c@h').password).toBe('a:b:c');
    expect(parseConnectionUri('x', 'mysql://u:@h').password).toBe('');
  });

  it('decodes a percent-encoded host (a socket path) and an IPv6 literal with port', () => {
    expect(parseConnectionUri('s', 'postgres://%2Fvar%2Frun%2Fpostgresql/db').host).toBe('/var/run/postgresql');
    const v6 = parseConnectionUri('v6', 'redis://[::1]:6379/0');
    expect([v6.host, v6.port, v6.schema]).toEqual(['[::1]', 6379, '0']);
  });

  it('takes a whole JSON extra from __extra__', () => {
    const extra = { retries: 3, verify: false, nested: { a: [1, 2] } };
    expect(parseConnectionUri('e', `http://h/?__extra__=${encodeURIComponent(JSON.stringify(extra))}`).extra).toEqual(extra);
  });

  it.each([
    ['no scheme', 'just-a-host:5432'],
    ['a non-numeric port', 'postgres://h:port/db'],
    ['a port out of range', 'postgres://h:70000/db'],
    ['a broken percent-encoding', 'postgres://user:%ZZ@h/db'],
    ['__extra__ that is not JSON', 'http://h/?__extra__=%7Bnope'],
    ['__extra__ that is not an object', 'http://h/?__extra__=%5B1%5D'],
  ])('rejects %s with CONN_INVALID_URI', (_label, uri) => {
    expect(() => parseConnectionUri('bad', uri)).toThrow(expect.objectContaining({ code: 'CONN_INVALID_URI' }));
  });
});

describe('toConnectionUri', () => {
  const base = { connType: 'postgres', host: 'db.example.com', schema: 'analytics', login: 'etl', password: 'p@ss/w:rd', port: 5432, extra: {} };

  it('encodes userinfo and writes string extras as query parameters', () => {
    expect(toConnectionUri({ ...base, extra: { sslmode: 'require' } })).toBe('postgres://etl:p%40ss%2Fw%3Ard@db.example.com:5432/analytics?sslmode=require');
  });

  it('writes non-string extras as one __extra__ JSON parameter, after a slash when there is no schema', () => {
    const uri = toConnectionUri({ ...base, schema: null, extra: { timeout: 5 } });
    expect(uri).toBe(`postgres://etl:p%40ss%2Fw%3Ard@db.example.com:5432/?__extra__=${encodeURIComponent('{"timeout":5}')}`);
  });

  it('writes underscores of the conn type as dashes', () => {
    expect(toConnectionUri({ ...base, connType: 'google_cloud_platform', login: null, password: null, host: null, port: null, schema: null })).toBe('google-cloud-platform://');
  });

  it.each<Omit<ConnectionData, 'connId' | 'description'>>([
    { ...base, extra: { sslmode: 'require', application_name: 'up draft' } },
    { ...base, extra: { timeout: 5, verify: true } },
    { ...base, login: null, password: null, port: null, schema: null },
    { ...base, host: '/var/run/postgresql' },
  ])('round-trips through parseConnectionUri (%#)', (conn) => {
    expect(parseConnectionUri('rt', toConnectionUri(conn))).toEqual({ connId: 'rt', description: null, ...conn });
  });
});
