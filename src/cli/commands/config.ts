import type { Command } from 'commander';
import { CONFIG_SPEC, type ConfigKeySpec, getConfigValue, renderConfigReference } from '../../config/index.ts';
import type { CliContext } from '../cli-context.ts';
import { printTable, println } from '../output.ts';

export function registerConfigCommands(program: Command, context: CliContext): void {
  const config = program.command('config').description('Read the resolved configuration');

  config
    .command('get')
    .description('Print one value, e.g. `updraft config get core dags_folder`')
    .argument('<section>')
    .argument('<key>')
    .action((section: string, key: string) => {
      println(String(getConfigValue(context.config, section, key)));
    });

  config
    .command('list')
    .description('Print every key with its value and where the defaults come from')
    .option('--json', 'print JSON')
    .action((options: { json?: boolean }) => {
      const rows = Object.entries(CONFIG_SPEC).flatMap(([section, keys]) =>
        Object.entries(keys as Record<string, ConfigKeySpec>).map(([key, spec]) => ({
          key: `${section}.${key}`,
          value: spec.secret ? '***' : getConfigValue(context.config, section, key),
          env: `UPDRAFT__${section.toUpperCase()}__${key.toUpperCase()}`,
        })),
      );
      printTable(rows, ['key', 'value', 'env'], options.json);
    });

  config
    .command('docs')
    .description('Print the configuration reference (Markdown), as in docs/configuration.md')
    .action(() => println(renderConfigReference()));
}
