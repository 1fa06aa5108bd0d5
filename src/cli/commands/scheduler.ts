import type { Command } from 'commander';
import { UpdraftError } from '../../contracts/errors.ts';
import { createSchedulerWithExecutor, describeSchedulerEvent, type Scheduler } from '../../scheduler/index.ts';
import { createNotifier, listDagRuns, type Store } from '../../store/index.ts';
import type { CliContext } from '../cli-context.ts';
import { println } from '../output.ts';

interface SchedulerCommandOptions {
  numRuns?: string;
  exitWhenIdle?: boolean;
}

export function registerSchedulerCommand(program: Command, context: CliContext): void {
  program
    .command('scheduler')
    .description('Run the scheduler in the foreground: create DAG runs on their schedules, queue ready tasks to the executor')
    .option('-n, --num-runs <n>', 'stop after this many loop iterations')
    .option('--exit-when-idle', 'stop once no DAG run is queued or running and no task is active')
    .action((options: SchedulerCommandOptions) =>
      context.withStore(async (store) => {
        const { config } = context;
        const numRuns = parseNumRuns(options.numRuns);
        const notifier = createNotifier(store, { url: config.database.url, onError: (error) => println(`notification listener: ${error.message}; reconnecting`) });
        const { scheduler, executor } = createSchedulerWithExecutor({
          store,
          config,
          notifier,
          onEvent: (event) => {
            const line = describeSchedulerEvent(event);
            if (line !== null) println(`${new Date().toISOString()} ${line}`);
          },
        });
        // The loop ends as soon as stop() begins; the store must stay open until stop() has finished.
        let stopping: Promise<void> | null = null;
        const stop = (): void => {
          stopping ??= scheduler.stop({ graceful: true });
        };
        process.once('SIGTERM', stop);
        process.once('SIGINT', stop);
        try {
          await scheduler.start();
          if (numRuns === null && options.exitWhenIdle !== true) {
            await scheduler.run();
          } else {
            await iterateUntilDone(scheduler, store, { numRuns, exitWhenIdle: options.exitWhenIdle === true, activeTries: () => executor.activeTries(), stopped: () => stopping !== null });
            stop();
          }
          await stopping;
        } finally {
          process.off('SIGTERM', stop);
          process.off('SIGINT', stop);
          await notifier.close();
        }
      }),
    );
}

interface BoundedLoop {
  numRuns: number | null;
  exitWhenIdle: boolean;
  activeTries: () => unknown[];
  /** True once a signal asked the scheduler to stop. */
  stopped: () => boolean;
}

/** The bounded loop of --num-runs / --exit-when-idle: iterations with a short pause when there is nothing to do. */
async function iterateUntilDone(scheduler: Scheduler, store: Store, loop: BoundedLoop): Promise<void> {
  for (let iteration = 1; (loop.numRuns === null || iteration <= loop.numRuns) && !loop.stopped(); iteration++) {
    const summary = await scheduler.iterate();
    const quiet = !summary.moreWork && summary.runsCreated === 0 && summary.tisQueued === 0 && summary.changes === 0;
    if (loop.exitWhenIdle && quiet && loop.activeTries().length === 0) {
      const { total } = await listDagRuns(store.db, { states: ['queued', 'running'], limit: 1, offset: 0 });
      if (total === 0) return;
    }
    if (quiet) await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function parseNumRuns(text: string | undefined): number | null {
  if (text === undefined) return null;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) {
    throw new UpdraftError('INVALID_ARGUMENT', `--num-runs must be a positive integer, not "${text}"`, { hint: 'For example --num-runs 10' });
  }
  return value;
}
