import type { Command } from 'commander';
import { UpdraftError } from '../../contracts/errors.ts';
import type { DagRunInfo } from '../../contracts/task-instance.ts';
import { manualDataInterval } from '../../core/index.ts';
import { buildWorkload } from '../../scheduler/build-workload.ts';
import { createStoreTaskExecutionApi, getDagRun, listTaskInstances, type Store } from '../../store/index.ts';
import { createDryRunTaskExecutionApi } from '../../worker/dry-run-api.ts';
import { createLocalTaskRunner } from '../../worker/local-task-runner.ts';
import type { CliContext } from '../cli-context.ts';
import { EXIT } from '../exit-codes.ts';
import { parseAndFindDag, type ParsedDag } from '../load-dag.ts';
import { colorState, printTable, println } from '../output.ts';
import { parseLogicalDate } from '../parse-date.ts';
import { parseConf } from './dags.ts';

interface DryRunOptions {
  conf?: string;
  file?: string;
}

export function registerTaskCommands(program: Command, context: CliContext): Command {
  const tasks = program.command('tasks').description('Run, render and inspect task instances');

  const dryRuns = [
    ['test', 'execute', 'Run one task now, ignoring its dependencies, without recording its state (as Airflow does)'],
    ['render', 'render', "Print a task's template fields rendered for a logical date"],
  ] as const;
  for (const [name, mode, description] of dryRuns) {
    tasks
      .command(name)
      .description(description)
      .argument('<dag_id>')
      .argument('<task_id>')
      .argument('[logical_date]')
      .option('-c, --conf <json>', 'JSON object for dag_run.conf')
      .option('-f, --file <path>', 'parse only this DAG file')
      .action((dagId: string, taskId: string, date: string | undefined, options: DryRunOptions) => dryRunTask(context, dagId, taskId, date, options, mode));
  }

  tasks
    .command('states-for-dag-run')
    .description('List the task instances of a DAG run with their states')
    .argument('<dag_id>')
    .argument('<run_id>')
    .option('--json', 'print JSON')
    .action((dagId: string, runId: string, options: { json?: boolean }) =>
      context.withStore(async (store) => {
        if ((await getDagRun(store.db, { dagId, runId })) === null) {
          throw new UpdraftError('DAG_RUN_NOT_FOUND', `No run "${runId}" of DAG "${dagId}"`, { hint: 'List runs with `updraft dags list-runs`' });
        }
        const instances = await listTaskInstances(store.db, { dagId, runId });
        printTable(
          instances.map((ti) => ({ task_id: ti.taskId, state: ti.state, try_number: ti.tryNumber, start_date: ti.startDate, end_date: ti.endDate })),
          ['task_id', 'state', 'try_number', 'start_date', 'end_date'],
          options.json,
        );
      }),
    );
  return tasks;
}

async function dryRunTask(context: CliContext, dagId: string, taskId: string, date: string | undefined, options: DryRunOptions, mode: 'execute' | 'render'): Promise<void> {
  await context.withStore(async (store) => {
    const parsed = await parseAndFindDag(context, store, dagId, options.file);
    const task = parsed.dag.tasks.find((t) => t.taskId === taskId);
    if (task === undefined) {
      throw new UpdraftError('TASK_NOT_FOUND', `DAG "${dagId}" has no task "${taskId}"`, { hint: `Tasks: ${parsed.dag.tasks.map((t) => t.taskId).join(', ')}` });
    }
    const run = await dryRunInfo(store, parsed, parseLogicalDate(date, parsed.dag.timezone), options.conf);
    const base = createStoreTaskExecutionApi(store, { xcomMaxBytes: context.config.core.xcom_max_size_bytes });
    const { api, record } = createDryRunTaskExecutionApi(base, parsed.dag, run);
    const runner = createLocalTaskRunner({ config: context.config, api, size: 0 });
    try {
      const key = { dagId, runId: run.runId, taskId, mapIndex: -1, tryNumber: 1 };
      const workload = { ...buildWorkload(parsed.dag, { ...task, retries: 0 }, key, parsed.versionHash, task.priorityWeight), mode };
      const state = await runner.runTry(workload);
      if (mode === 'render') {
        for (const [field, value] of Object.entries(record.renderedFields ?? {})) {
          println(`# ----------------------------------------------------------\n# property: ${field}\n# ----------------------------------------------------------`);
          println(typeof value === 'string' ? value : JSON.stringify(value, null, 2));
        }
      } else {
        println(`Task ${taskId} finished: ${colorState(state)}${record.xcoms.has('return_value') ? `; return_value = ${JSON.stringify(record.xcoms.get('return_value'))}` : ''}`);
      }
      if (state !== 'success') process.exitCode = EXIT.failed;
    } finally {
      await runner.close();
    }
  });
}

/** The run a dry run pretends to be in: the real one for that logical date if it exists. */
async function dryRunInfo(store: Store, parsed: ParsedDag, logicalDate: number, conf: string | undefined): Promise<DagRunInfo> {
  const runId = `manual__${new Date(logicalDate).toISOString()}`;
  const existing = await getDagRun(store.db, { dagId: parsed.dag.dagId, runId });
  const interval = manualDataInterval(parsed.dag.timetable, logicalDate);
  const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
  return {
    dagId: parsed.dag.dagId,
    runId,
    runType: 'manual',
    state: 'running',
    logicalDate: iso(logicalDate),
    dataIntervalStart: iso(existing?.dataIntervalStart ?? interval.start),
    dataIntervalEnd: iso(existing?.dataIntervalEnd ?? interval.end),
    runAfter: iso(logicalDate)!,
    startDate: new Date().toISOString(),
    conf: conf === undefined ? (existing?.conf ?? {}) : parseConf(conf),
  };
}
