import { join } from 'node:path';
import type { Command } from 'commander';
import { startStandalone } from '../../standalone/start-standalone.ts';
import type { CliContext } from '../cli-context.ts';
import { dagFolders } from '../dag-folders.ts';

const STOP_SIGNALS = ['SIGTERM', 'SIGINT'] as const;

export function registerStandaloneCommand(program: Command, context: CliContext): void {
  program
    .command('standalone')
    .description('Run everything on this machine: DAG processor, scheduler, local executor, API server and web UI')
    .option('--dags-folder <path>', 'DAG folder to watch (overrides core.dags_folder)')
    .option('-p, --port <port>', 'port of the web UI and API (overrides api.port)')
    .action(async (options: { dagsFolder?: string; port?: string }) => {
      const { config } = context;
      if (options.dagsFolder !== undefined) config.core.dags_folder = options.dagsFolder;
      if (options.port !== undefined) config.api.port = Number(options.port);
      const log = (line: string): void => void process.stdout.write(`${new Date().toISOString()} standalone | ${line}\n`);
      const folders = dagFolders(config);
      log(`starting: home ${config.home}, database ${config.database.url.replace(/\/\/[^@/]*@/, '//***@')}, DAGs in ${folders.join(', ')}`);
      const handle = await startStandalone({ config, folders, log });
      const passwordFile = join(config.home, 'standalone_admin_password.txt');
      log(`ready in ${Math.round(handle.startupMs)} ms at ${handle.url}`);
      log(
        handle.adminPassword === null
          ? `log in as admin (password in ${passwordFile})`
          : `log in as admin with password ${handle.adminPassword} (saved in ${passwordFile})`,
      );
      await new Promise<void>((resolve) => {
        const onSignal = (): void => {
          for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
          log('stopping: waiting for running tasks to finish');
          void handle.stop().then(resolve);
        };
        for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
      });
      log('stopped');
    });
}
