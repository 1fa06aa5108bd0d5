import type { Command } from 'commander';
import { UpdraftError } from '../../contracts/errors.ts';
import { clearTasks, SETTABLE_STATES, setTaskState, type SettableState } from '../../operations/index.ts';
import type { CliContext } from '../cli-context.ts';
import { println } from '../output.ts';
import { parseLogicalDate } from '../parse-date.ts';

interface ClearCliOptions {
  taskRegex?: string;
  runId?: string;
  start?: string;
  end?: string;
  upstream?: boolean;
  downstream?: boolean;
  onlyFailed?: boolean;
  dryRun?: boolean;
  yes?: boolean;
}

/** `tasks clear` and `tasks set-state`: the two ways people change task instance states by hand. */
export function registerTaskStateCommands(tasks: Command, context: CliContext): void {
  tasks
    .command('clear')
    .description('Clear task instances so the scheduler runs them again')
    .argument('<dag_id>')
    .option('-t, --task-regex <regex>', 'only tasks whose id matches')
    .option('-r, --run-id <id>', 'only this run')
    .option('-s, --start <date>', 'only runs with a logical date at or after this')
    .option('-e, --end <date>', 'only runs with a logical date at or before this')
    .option('-u, --upstream', 'also clear upstream tasks')
    .option('-d, --downstream', 'also clear downstream tasks')
    .option('-f, --only-failed', 'only failed and upstream_failed task instances')
    .option('--dry-run', 'print what would be cleared')
    .option('-y, --yes', 'do not ask for confirmation')
    .action((dagId: string, options: ClearCliOptions) =>
      context.withStore(async (store) => {
        const now = Date.now();
        const dryRun = options.dryRun === true || options.yes !== true;
        const plan = await clearTasks(store, {
          dagId,
          ...(options.taskRegex === undefined ? {} : { taskRegex: options.taskRegex }),
          ...(options.runId === undefined ? {} : { runId: options.runId }),
          ...(options.start === undefined ? {} : { start: parseLogicalDate(options.start, 'UTC', now) }),
          ...(options.end === undefined ? {} : { end: parseLogicalDate(options.end, 'UTC', now) }),
          upstream: options.upstream === true,
          downstream: options.downstream === true,
          onlyFailed: options.onlyFailed === true,
          dryRun,
          now,
        });
        const count = plan.runs.reduce((sum, run) => sum + run.taskInstances.length, 0);
        for (const run of plan.runs) println(`${run.runId}: ${run.taskInstances.map((ti) => `${ti.taskId} (${ti.state})`).join(', ')}`);
        if (dryRun) println(`${count} task instance(s) in ${plan.runs.length} run(s) would be cleared${options.dryRun === true ? '' : '; add --yes to clear them'}.`);
        else {
          if (count > 0) await context.wakeScheduler(store, dagId);
          println(`Cleared ${count} task instance(s) in ${plan.runs.length} run(s).`);
        }
      }),
    );

  tasks
    .command('set-state')
    .description(`Set task instances of a run to ${SETTABLE_STATES.join(', ')} by hand`)
    .argument('<dag_id>')
    .argument('<run_id>')
    .argument('<task_id>')
    .argument('<state>')
    .option('-u, --upstream', 'also upstream tasks')
    .option('-d, --downstream', 'also downstream tasks')
    .option('--dry-run', 'print what would change')
    .action((dagId: string, runId: string, taskId: string, state: string, options: { upstream?: boolean; downstream?: boolean; dryRun?: boolean }) =>
      context.withStore(async (store) => {
        if (!(SETTABLE_STATES as readonly string[]).includes(state)) {
          throw new UpdraftError('INVALID_ARGUMENT', `Cannot set state "${state}" by hand`, { hint: `Use one of ${SETTABLE_STATES.join(', ')}` });
        }
        const changes = await setTaskState(store, {
          dagId,
          runId,
          taskIds: [taskId],
          state: state as SettableState,
          upstream: options.upstream === true,
          downstream: options.downstream === true,
          dryRun: options.dryRun === true,
          now: Date.now(),
        });
        if (options.dryRun !== true && changes.length > 0) await context.wakeScheduler(store, dagId);
        for (const change of changes) println(`${change.taskId}: ${change.from} -> ${state}`);
        println(`${options.dryRun === true ? 'Would set' : 'Set'} ${changes.length} task instance(s) to ${state}.`);
      }),
    );
}
