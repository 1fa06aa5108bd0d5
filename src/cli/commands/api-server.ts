import { join } from 'node:path';
import type { Command } from 'commander';
import { buildApiServer } from '../../api/server.ts';
import type { CliContext } from '../cli-context.ts';
import { println } from '../output.ts';

/** `updraft api-server`: the REST API, its docs and the web UI, until SIGINT/SIGTERM. */
export function registerApiServerCommand(program: Command, context: CliContext): void {
  program
    .command('api-server')
    .description('Serve the REST API (/api/v1), its docs (/api/docs) and the web UI')
    .option('-p, --port <port>', 'default: api.port')
    .option('-H, --host <host>', 'default: api.host')
    .action(async (options: { port?: string; host?: string }) => {
      const { config } = context;
      const store = await context.openStore();
      const app = await buildApiServer({ store, config, uiDistDir: join(import.meta.dirname, '..', '..', '..', 'ui', 'dist') });
      const port = options.port === undefined ? config.api.port : Number(options.port);
      const address = await app.listen({ port, host: options.host ?? config.api.host });
      println(`Updraft API listening on ${address} (docs at ${address}/api/docs)`);
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await app.close();
      await store.close();
    });
}
