import type { Command } from 'commander';
import { UpdraftError } from '../../contracts/errors.ts';
import { DAG_RUN_STATES, type DagRunState } from '../../contracts/states.ts';
import { createBackfill, nextExecution, REPROCESS_BEHAVIOURS, triggerDagRun, type ReprocessBehaviour } from '../../operations/index.ts';
import { SCHEDULER_JOB_TYPE } from '../../scheduler/index.ts';
import { dagRunStates, deleteDag, getDag, listAliveJobs, listDagRuns, setPaused, type Store } from '../../store/index.ts';
import type { CliContext } from '../cli-context.ts';
import { printTable, println } from '../output.ts';
import { parseLogicalDate } from '../parse-date.ts';
import { ProgressBar } from '../progress-bar.ts';
import { parseConf } from './dags.ts';

/** How recently a scheduler must have heartbeated to count as running. */
const SCHEDULER_ALIVE_MS = 30_000;

/** `dags trigger | pause | unpause | delete | next-execution | list-runs` and `backfill create`. */
export function registerDagRunCommands(program: Command, dags: Command, context: CliContext): void {
  dags
    .command('trigger')
    .description('Create a manual run; the scheduler runs it')
    .argument('<dag_id>')
    .option('-c, --conf <json>', 'JSON object for dag_run.conf (validated against the params)')
    .option('-l, --logical-date <date>', 'logical date (default: now)')
    .option('-r, --run-id <id>', 'run id (default: manual__<logical date>)')
    .option('--note <text>')
    .action((dagId: string, options: { conf?: string; logicalDate?: string; runId?: string; note?: string }) =>
      context.withStore(async (store) => {
        const now = Date.now();
        const run = await triggerDagRun(store, {
          dagId,
          conf: parseConf(options.conf),
          ...(options.logicalDate === undefined ? {} : { logicalDate: parseLogicalDate(options.logicalDate, 'UTC', now) }),
          ...(options.runId === undefined ? {} : { runId: options.runId }),
          note: options.note ?? null,
          triggeredBy: 'cli',
          now,
        });
        println(`Created run ${run.runId} of ${dagId} (state ${run.state}).`);
        await context.wakeScheduler(store, dagId);
        await warnIfNoScheduler(store, now);
      }),
    );

  for (const [name, paused] of [['pause', true], ['unpause', false]] as const) {
    dags
      .command(name)
      .description(paused ? 'Pause a DAG: no new runs are created or started' : 'Unpause a DAG')
      .argument('<dag_id>')
      .action((dagId: string) =>
        context.withStore(async (store) => {
          if (!(await setPaused(store.db, dagId, paused))) throw dagNotFound(dagId);
          if (!paused) await context.wakeScheduler(store, dagId);
          println(`DAG ${dagId} ${paused ? 'paused' : 'unpaused'}.`);
        }),
      );
  }

  dags
    .command('delete')
    .description('Delete a DAG and all its runs, task instances, XComs and versions from the metadata database')
    .argument('<dag_id>')
    .option('-y, --yes', 'do not ask for confirmation')
    .action((dagId: string, options: { yes?: boolean }) =>
      context.withStore(async (store) => {
        if (options.yes !== true) throw new UpdraftError('INVALID_ARGUMENT', `Deleting ${dagId} removes all its history`, { hint: `Run \`updraft dags delete ${dagId} --yes\`` });
        if (!(await deleteDag(store.db, dagId))) throw dagNotFound(dagId);
        println(`DAG ${dagId} deleted (its file, if still present, will be parsed again).`);
      }),
    );

  dags
    .command('next-execution')
    .description('Print the logical date and data interval of the next scheduled run')
    .argument('<dag_id>')
    .action((dagId: string) =>
      context.withStore(async (store) => {
        const next = await nextExecution(store, dagId, Date.now());
        if (next === null) return println('None (the timetable has no further runs)');
        const iso = (ms: number): string => new Date(ms).toISOString();
        println(`${iso(next.logicalDate)}  data interval ${iso(next.dataInterval.start)} – ${iso(next.dataInterval.end)}  runs after ${iso(next.runAfter)}`);
      }),
    );

  dags
    .command('list-runs')
    .description('List the runs of a DAG, newest first')
    .argument('<dag_id>')
    .option('-s, --state <state>', `only runs in this state (${DAG_RUN_STATES.join(', ')})`)
    .option('--limit <n>', 'how many', '25')
    .option('--json', 'print JSON')
    .action((dagId: string, options: { state?: string; limit: string; json?: boolean }) =>
      context.withStore(async (store) => {
        if (options.state !== undefined && !(DAG_RUN_STATES as readonly string[]).includes(options.state)) {
          throw new UpdraftError('INVALID_ARGUMENT', `Unknown run state "${options.state}"`, { hint: `Use one of ${DAG_RUN_STATES.join(', ')}` });
        }
        const { runs } = await listDagRuns(store.db, {
          dagId,
          ...(options.state === undefined ? {} : { states: [options.state as DagRunState] }),
          limit: positiveInteger('--limit', options.limit),
          offset: 0,
        });
        printTable(
          runs.map((run) => ({ run_id: run.runId, run_type: run.runType, state: run.state, logical_date: run.logicalDate, start_date: run.startDate, end_date: run.endDate })),
          ['run_id', 'run_type', 'state', 'logical_date', 'start_date', 'end_date'],
          options.json,
        );
      }),
    );

  program
    .command('backfill')
    .description('Run a DAG for past dates')
    .command('create')
    .description('Create the runs of every scheduled logical date in [--from, --to] and follow them to the end')
    .requiredOption('--dag <dag_id>')
    .requiredOption('--from <date>', 'first logical date (inclusive)')
    .requiredOption('--to <date>', 'last logical date (inclusive)')
    .option('--reprocess <behaviour>', `existing runs: ${REPROCESS_BEHAVIOURS.join(' | ')}`, 'none')
    .option('-c, --conf <json>', 'JSON object for dag_run.conf')
    .option('--dry-run', 'print what would be created without creating it')
    .option('--no-wait', 'return once the runs are created')
    .action((options: { dag: string; from: string; to: string; reprocess: string; conf?: string; dryRun?: boolean; wait: boolean }) =>
      context.withStore(async (store) => {
        const dag = await getDag(store.db, options.dag);
        if (dag === null) throw dagNotFound(options.dag);
        const now = Date.now();
        const plan = await createBackfill(store, {
          dagId: options.dag,
          from: parseLogicalDate(options.from, 'UTC', now),
          to: parseLogicalDate(options.to, 'UTC', now),
          reprocess: options.reprocess as ReprocessBehaviour,
          conf: parseConf(options.conf),
          dryRun: options.dryRun === true,
          now,
        });
        const verb = options.dryRun === true ? 'Would create' : 'Created';
        println(`${verb} ${plan.created.length} run(s), reprocess ${plan.reprocessed.length}, skip ${plan.skipped.length} existing.`);
        const followed = [...plan.created, ...plan.reprocessed];
        if (options.dryRun !== true && followed.length > 0) await context.wakeScheduler(store, options.dag);
        if (options.dryRun === true || !options.wait || followed.length === 0) return;
        await warnIfNoScheduler(store, now);
        const states = await followRuns(store, options.dag, followed);
        const counts = [...states.values()].reduce<Record<string, number>>((acc, state) => ({ ...acc, [state]: (acc[state] ?? 0) + 1 }), {});
        // In a fixed order (success first), whatever order the runs came back in.
        const summary = DAG_RUN_STATES.filter((state) => counts[state] !== undefined).map((state) => `${counts[state]} ${state}`);
        println(`Backfill finished: ${summary.join(', ')}.`);
        if ((counts.failed ?? 0) > 0) process.exitCode = 1;
      }),
    );
}

/**
 * Polls the runs until all are finished, drawing a progress bar. Only runs not finished yet are read
 * again; a run deleted meanwhile is said so and no longer waited for.
 */
async function followRuns(store: Store, dagId: string, runIds: string[]): Promise<Map<string, DagRunState>> {
  const bar = new ProgressBar(`backfill ${dagId}`, runIds.length);
  const states = new Map<string, DagRunState>();
  const followed = new Set(runIds);
  const isFinished = (runId: string): boolean => states.get(runId) === 'success' || states.get(runId) === 'failed';
  for (;;) {
    const pending = [...followed].filter((runId) => !isFinished(runId));
    const current = await dagRunStates(store.db, dagId, pending);
    for (const runId of pending) {
      const state = current.get(runId);
      if (state !== undefined) states.set(runId, state);
      else {
        followed.delete(runId);
        states.delete(runId);
        println(`Run ${runId} was deleted; no longer waiting for it.`);
      }
    }
    const done = [...followed].filter(isFinished).length;
    const running = [...states.values()].filter((state) => state === 'running').length;
    bar.update(done, `${running} running`);
    if (done === followed.size) {
      bar.finish();
      return states;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function warnIfNoScheduler(store: Store, now: number): Promise<void> {
  const alive = await listAliveJobs(store.db, { since: now - SCHEDULER_ALIVE_MS, jobType: SCHEDULER_JOB_TYPE });
  if (alive.length === 0) println('Note: no scheduler is running; the run(s) start when `updraft scheduler` or `updraft standalone` runs.');
}

function dagNotFound(dagId: string): UpdraftError {
  return new UpdraftError('DAG_NOT_FOUND', `No DAG "${dagId}"`, { hint: 'List DAGs with `updraft dags list`' });
}

function positiveInteger(flag: string, value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0) throw new UpdraftError('INVALID_ARGUMENT', `${flag} must be a positive whole number`, { hint: `e.g. ${flag} 10` });
  return parsed;
}
