import type { Command } from 'commander';
import type { ConnectionData } from '../../contracts/connection.ts';
import { parseConnectionUri, toConnectionUri } from '../../contracts/connection-uri.ts';
import { UpdraftError } from '../../contracts/errors.ts';
import type { JsonObject } from '../../contracts/json.ts';
import { deleteConnection, getConnection, listConnections, setConnection } from '../../store/index.ts';
import type { CliContext } from '../cli-context.ts';
import { printTable, println } from '../output.ts';

interface AddOptions {
  connUri?: string;
  connJson?: string;
  connType?: string;
  connHost?: string;
  connLogin?: string;
  connPassword?: string;
  connSchema?: string;
  connPort?: string;
  connExtra?: string;
  connDescription?: string;
}

export function registerConnectionCommands(program: Command, context: CliContext): void {
  const connections = program.command('connections').description('Manage connections ({{ conn.my_db.host }}); secrets are encrypted');

  connections
    .command('add')
    .description('Add or replace a connection, from a URI (--conn-uri), JSON (--conn-json) or fields')
    .argument('<conn_id>')
    .option('--conn-uri <uri>', "Airflow URI, e.g. postgres://user:pass@host:5432/db?sslmode=require")
    .option('--conn-json <json>', 'JSON with conn_type, host, login, password, schema, port, extra')
    .option('--conn-type <type>')
    .option('--conn-host <host>')
    .option('--conn-login <login>')
    .option('--conn-password <password>')
    .option('--conn-schema <schema>')
    .option('--conn-port <port>')
    .option('--conn-extra <json>', 'JSON object of extra settings')
    .option('--conn-description <text>')
    .action((connId: string, options: AddOptions) =>
      context.withStore(async (store) => {
        await setConnection(store.db, store.secrets, connectionFromOptions(connId, options));
        println(`Connection ${connId} saved.`);
      }),
    );

  connections
    .command('get')
    .argument('<conn_id>')
    .option('--json', 'print JSON (the password is never printed)')
    .action((connId: string, options: { json?: boolean }) =>
      context.withStore(async (store) => {
        const conn = await getConnection(store.db, store.secrets, connId);
        if (conn === null) throw new UpdraftError('CONN_NOT_FOUND', `No connection "${connId}"`, { hint: `Add it with \`updraft connections add ${connId} --conn-uri ...\`` });
        const shown = { ...conn, password: conn.password === null ? null : '***' };
        if (options.json === true) println(JSON.stringify(shown, null, 2));
        else println(toConnectionUri({ ...conn, password: conn.password === null ? null : '***' }));
      }),
    );

  connections
    .command('delete')
    .argument('<conn_id>')
    .action((connId: string) =>
      context.withStore(async (store) => {
        if (!(await deleteConnection(store.db, connId))) throw new UpdraftError('CONN_NOT_FOUND', `No connection "${connId}"`, { hint: 'List connections with `updraft connections list`' });
        println(`Connection ${connId} deleted.`);
      }),
    );

  connections
    .command('list')
    .option('--json', 'print JSON')
    .action((options: { json?: boolean }) =>
      context.withStore(async (store) => {
        const rows = await listConnections(store.db);
        printTable(
          rows.map((c) => ({ conn_id: c.connId, conn_type: c.connType, host: c.host, port: c.port, schema: c.schema, login: c.login })),
          ['conn_id', 'conn_type', 'host', 'port', 'schema', 'login'],
          options.json,
        );
      }),
    );
}

function connectionFromOptions(connId: string, options: AddOptions): ConnectionData {
  if (options.connUri !== undefined && options.connJson !== undefined) {
    throw new UpdraftError('INVALID_ARGUMENT', 'Give --conn-uri or --conn-json, not both', { hint: 'Pick one form' });
  }
  if (options.connUri !== undefined) return parseConnectionUri(connId, options.connUri);
  const json = options.connJson === undefined ? {} : parseObject('--conn-json', options.connJson);
  const field = (name: string, flag: string | undefined): string | null => flag ?? (typeof json[name] === 'string' ? (json[name] as string) : null);
  const connType = field('conn_type', options.connType);
  if (connType === null) {
    throw new UpdraftError('INVALID_ARGUMENT', `Connection "${connId}" needs a type`, { hint: 'Pass --conn-uri, or --conn-type (e.g. postgres, http, smtp)' });
  }
  const portText = options.connPort ?? (json.port === undefined || json.port === null ? null : String(json.port));
  const port = portText === null ? null : Number(portText);
  if (port !== null && (!Number.isInteger(port) || port < 0 || port > 65_535)) {
    throw new UpdraftError('INVALID_ARGUMENT', `Port "${portText}" is not a port number`, { hint: 'Use a whole number from 0 to 65535' });
  }
  const extraSource = options.connExtra === undefined ? json.extra : parseObject('--conn-extra', options.connExtra);
  const extra = typeof extraSource === 'string' ? parseObject('extra', extraSource) : ((extraSource ?? {}) as JsonObject);
  return {
    connId,
    connType,
    description: field('description', options.connDescription),
    host: field('host', options.connHost),
    schema: field('schema', options.connSchema),
    login: field('login', options.connLogin),
    password: field('password', options.connPassword),
    port,
    extra,
  };
}

function parseObject(flag: string, text: string): JsonObject {
  try {
    const value: unknown = JSON.parse(text);
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as JsonObject;
  } catch {
    // fall through to the coded error below
  }
  throw new UpdraftError('INVALID_ARGUMENT', `${flag} must be a JSON object`, { hint: `Example: ${flag} '{"sslmode": "require"}'` });
}
