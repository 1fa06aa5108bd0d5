import type { Command } from 'commander';
import { serializeError } from '../../contracts/errors.ts';
import { DagProcessor, type DagProcessorEvent, dagProcessorSettings } from '../../dag-processor/index.ts';
import { createNotifier } from '../../store/index.ts';
import type { CliContext } from '../cli-context.ts';
import { dagFolders } from '../dag-folders.ts';

const STOP_SIGNALS = ['SIGTERM', 'SIGINT'] as const;

export function registerDagProcessorCommand(program: Command, context: CliContext): void {
  program
    .command('dag-processor')
    .description('Run the DAG processor in the foreground: parse DAG files into the metadata database and keep watching them (stops on SIGTERM/SIGINT)')
    .action(() =>
      context.withStore(async (store) => {
        const folders = dagFolders(context.config);
        const notifier = createNotifier(store, { url: context.config.database.url, onError: (error) => printEvent({ type: 'error', during: 'notify', error }) });
        const processor = new DagProcessor({ store, folders, notifier, ...dagProcessorSettings(context.config), onEvent: printEvent });
        const stopped = new Promise<void>((resolve) => {
          const onSignal = (): void => {
            for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
            log(`stopping`);
            void processor.stop().then(resolve);
          };
          for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
        });
        log(`watching ${folders.join(', ')}`);
        await processor.start();
        log('initial parse done; watching for changes');
        await stopped;
        await notifier.close();
        log('stopped');
      }),
    );
}

function printEvent(event: DagProcessorEvent): void {
  switch (event.type) {
    case 'scanned':
      if (event.queued > 0) log(`scanned ${event.files} file(s), ${event.queued} new or changed (${Math.round(event.durationMs)} ms)`);
      return;
    case 'synced': {
      const { summary } = event;
      log(
        `parsed ${event.parsed} file(s), forgot ${event.removed}: ${summary.dags} DAG(s), ${summary.newVersions} new version(s), ` +
          `${summary.importErrors} import error(s), ${summary.deactivatedDagIds.length} deactivated (${Math.round(event.durationMs)} ms)`,
      );
      return;
    }
    case 'error': {
      const error = serializeError(event.error);
      process.stderr.write(`${new Date().toISOString()} error during ${event.during} ${error.code}: ${error.message}\n`);
      return;
    }
  }
}

function log(line: string): void {
  process.stdout.write(`${new Date().toISOString()} dag-processor ${line}\n`);
}
