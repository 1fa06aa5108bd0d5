import type { ConnectionData } from './connection.ts';
import { UpdraftError } from './errors.ts';
import type { JsonObject } from './json.ts';

/**
 * Airflow's connection URI format, so that `AIRFLOW_CONN_*`-style values and `airflow connections
 * add --conn-uri` strings carry over: `conn-type://login:password@host:port/schema?param=value`.
 * Userinfo, host and schema are percent-encoded; query parameters become `extra`, except a single
 * `__extra__` parameter, which holds the whole extra as JSON (for values that are not strings).
 */
const URI_PATTERN = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)(?:\?([^#]*))?(?:#.*)?$/;

/** Parses an Airflow-style connection URI. Throws CONN_INVALID_URI naming the problem. */
export function parseConnectionUri(connId: string, uri: string): ConnectionData {
  const match = URI_PATTERN.exec(uri.trim());
  if (match === null) throw invalid(connId, 'expected conn-type://login:password@host:port/schema?extra');
  const [, scheme = '', authority = '', path = '', query] = match;
  const at = authority.lastIndexOf('@');
  const userinfo = at >= 0 ? authority.slice(0, at) : null;
  const hostPort = at >= 0 ? authority.slice(at + 1) : authority;
  const colon = userinfo?.indexOf(':') ?? -1;
  const login = userinfo === null ? null : colon >= 0 ? userinfo.slice(0, colon) : userinfo;
  const password = userinfo !== null && colon >= 0 ? userinfo.slice(colon + 1) : null;
  const { host, port } = splitHostPort(connId, hostPort);
  return {
    connId,
    connType: normalizeConnType(scheme),
    description: null,
    host: emptyToNull(decode(connId, host)),
    schema: emptyToNull(decode(connId, path.replace(/^\//, ''))),
    login: login === null ? null : emptyToNull(decode(connId, login)),
    password: password === null ? null : decode(connId, password),
    port,
    extra: query === undefined || query === '' ? {} : parseExtra(connId, query),
  };
}

/** Writes a connection as an Airflow-style URI (the description is not part of the format). */
export function toConnectionUri(conn: Omit<ConnectionData, 'connId' | 'description'>): string {
  const userinfo = conn.login === null && conn.password === null ? '' : `${encode(conn.login ?? '')}${conn.password === null ? '' : `:${encode(conn.password)}`}@`;
  const host = conn.host === null ? '' : encode(conn.host);
  const port = conn.port === null ? '' : `:${conn.port}`;
  const schema = conn.schema === null || conn.schema === '' ? '' : `/${encode(conn.schema)}`;
  const query = Object.keys(conn.extra).length === 0 ? '' : `${schema === '' ? '/' : ''}?${extraQuery(conn.extra)}`;
  return `${conn.connType.toLowerCase().replaceAll('_', '-')}://${userinfo}${host}${port}${schema}${query}`;
}

/** Airflow's normalisation: `postgresql` is `postgres`, and dashes (allowed in URI schemes) become underscores. */
function normalizeConnType(scheme: string): string {
  const lower = scheme.toLowerCase();
  return lower === 'postgresql' ? 'postgres' : lower.replaceAll('-', '_');
}

function splitHostPort(connId: string, hostPort: string): { host: string; port: number | null } {
  // IPv6 literals keep their brackets' content intact: [::1]:5432.
  const portMatch = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(hostPort);
  if (portMatch === null) throw invalid(connId, `"${hostPort}" is not host:port`);
  const [, host = '', port] = portMatch;
  if (port === undefined || port === '') return { host, port: null };
  const number = Number(port);
  if (number > 65_535) throw invalid(connId, `port ${port} is out of range`);
  return { host, port: number };
}

function parseExtra(connId: string, query: string): JsonObject {
  const params = new URLSearchParams(query);
  const whole = params.get('__extra__');
  if (whole !== null) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(whole);
    } catch (error) {
      throw invalid(connId, `__extra__ is not JSON: ${(error as Error).message}`);
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw invalid(connId, '__extra__ must be a JSON object');
    return parsed as JsonObject;
  }
  return Object.fromEntries(params.entries());
}

/** String-only extras travel as plain query parameters; anything else as one `__extra__` JSON value. */
function extraQuery(extra: JsonObject): string {
  const allStrings = Object.values(extra).every((value) => typeof value === 'string');
  const params = allStrings ? new URLSearchParams(extra as Record<string, string>) : new URLSearchParams({ __extra__: JSON.stringify(extra) });
  return params.toString();
}

function encode(part: string): string {
  return encodeURIComponent(part);
}

function decode(connId: string, part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw invalid(connId, `"${part}" has an invalid percent-encoding`);
  }
}

function emptyToNull(value: string): string | null {
  return value === '' ? null : value;
}

function invalid(connId: string, reason: string): UpdraftError {
  return new UpdraftError('CONN_INVALID_URI', `Connection ${connId}: invalid URI, ${reason}`, {
    hint: 'Write it as conn-type://login:password@host:port/schema?param=value, percent-encoding special characters (@ is %40)',
    details: { connId },
  });
}
