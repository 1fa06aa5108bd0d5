import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { UpdraftError } from '../../contracts/errors.ts';
import { deleteVariable, getVariable, listVariables, setVariable } from '../../store/index.ts';
import type { CliContext } from '../cli-context.ts';
import { printTable, println } from '../output.ts';

export function registerVariableCommands(program: Command, context: CliContext): void {
  const variables = program.command('variables').description('Manage variables ({{ var.value.x }}, {{ var.json.x }})');

  variables
    .command('get')
    .argument('<key>')
    .option('-j, --json', 'parse the value as JSON and pretty-print it')
    .option('-d, --default <value>', 'print this instead of failing when the variable does not exist')
    .action((key: string, options: { json?: boolean; default?: string }) =>
      context.withStore(async (store) => {
        const variable = await getVariable(store.db, store.secrets, key);
        if (variable === null) {
          if (options.default !== undefined) return println(options.default);
          throw new UpdraftError('VARIABLE_NOT_FOUND', `No variable "${key}"`, { hint: `Create it with \`updraft variables set ${key} <value>\`` });
        }
        println(options.json === true ? JSON.stringify(parseJsonValue(key, variable.value), null, 2) : variable.value);
      }),
    );

  variables
    .command('set')
    .argument('<key>')
    .argument('<value>')
    .option('-j, --json', 'check that the value is JSON before storing it')
    .option('--description <text>')
    .option('--encrypt', 'store the value encrypted (for secrets)')
    .action((key: string, value: string, options: { json?: boolean; description?: string; encrypt?: boolean }) =>
      context.withStore(async (store) => {
        if (options.json === true) parseJsonValue(key, value);
        await setVariable(store.db, store.secrets, { key, value, description: options.description ?? null, encrypt: options.encrypt === true });
        println(`Variable ${key} set.`);
      }),
    );

  variables
    .command('delete')
    .argument('<key>')
    .action((key: string) =>
      context.withStore(async (store) => {
        if (!(await deleteVariable(store.db, key))) throw new UpdraftError('VARIABLE_NOT_FOUND', `No variable "${key}"`, { hint: 'List variables with `updraft variables list`' });
        println(`Variable ${key} deleted.`);
      }),
    );

  variables
    .command('list')
    .option('--json', 'print JSON')
    .action((options: { json?: boolean }) =>
      context.withStore(async (store) => {
        const rows = await listVariables(store.db);
        printTable(rows.map((v) => ({ key: v.key, description: v.description, encrypted: v.isEncrypted })), ['key', 'description', 'encrypted'], options.json);
      }),
    );

  variables
    .command('import')
    .description('Set variables from a JSON file of {"key": value} (non-string values are stored as JSON)')
    .argument('<file>')
    .action((file: string) =>
      context.withStore(async (store) => {
        const entries = Object.entries(readJsonObject(file));
        for (const [key, value] of entries) {
          await setVariable(store.db, store.secrets, { key, value: typeof value === 'string' ? value : JSON.stringify(value), description: null, encrypt: false });
        }
        println(`Imported ${entries.length} variable(s).`);
      }),
    );

  variables
    .command('export')
    .description('Write every variable to a JSON file')
    .argument('<file>')
    .action((file: string) =>
      context.withStore(async (store) => {
        const exported: Record<string, string> = {};
        for (const { key } of await listVariables(store.db)) exported[key] = (await getVariable(store.db, store.secrets, key))!.value;
        writeFileSync(file, `${JSON.stringify(exported, null, 2)}\n`, { mode: 0o600 });
        println(`Exported ${Object.keys(exported).length} variable(s) to ${file}.`);
      }),
    );
}

function parseJsonValue(key: string, value: string): unknown {
  try {
    return JSON.parse(value);
  } catch (error) {
    throw new UpdraftError('VARIABLE_NOT_JSON', `Variable "${key}" is not JSON: ${(error as Error).message}`, { hint: 'Store valid JSON, or read it without --json' });
  }
}

function readJsonObject(file: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UpdraftError('INVALID_ARGUMENT', `Cannot read ${file} as JSON: ${(error as Error).message}`, { hint: 'Give a JSON file holding one object of key/value pairs' });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new UpdraftError('INVALID_ARGUMENT', `${file} must hold one JSON object`, { hint: 'Example: {"threshold": 10, "mode": "fast"}' });
  }
  return value as Record<string, unknown>;
}
