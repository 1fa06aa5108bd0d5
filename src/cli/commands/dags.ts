import type { Command } from 'commander';
import { UpdraftError } from '../../contracts/errors.ts';
import type { JsonObject } from '../../contracts/json.ts';
import type { SerializedDag } from '../../contracts/serialized-dag.ts';
import { parseDagFoldersIntoStore } from '../../dag-processor/parse-dag-folders.ts';
import { runDagInForeground } from '../../scheduler/foreground-run.ts';
import { createStoreTaskExecutionApi, getLatestSerializedDag, listDags, listImportErrors } from '../../store/index.ts';
import { createLocalTaskRunner } from '../../worker/local-task-runner.ts';
import type { CliContext } from '../cli-context.ts';
import { dagFolders } from '../dag-folders.ts';
import { EXIT } from '../exit-codes.ts';
import { parseAndFindDag } from '../load-dag.ts';
import { printTable, println } from '../output.ts';
import { parseLogicalDate } from '../parse-date.ts';
import { createRunProgress } from '../run-progress.ts';

export function registerDagCommands(program: Command, context: CliContext): Command {
  const dags = program.command('dags').description('Inspect, test, trigger and manage DAGs');

  dags
    .command('list')
    .description('List the DAGs known to the metadata database')
    .option('--json', 'print JSON')
    .action((options: { json?: boolean }) =>
      context.withStore(async (store) => {
        const { dags: rows } = await listDags(store.db, { limit: 10_000, offset: 0 });
        printTable(
          rows.map((dag) => ({ dag_id: dag.dagId, fileloc: dag.fileloc, owners: dag.owners, is_paused: dag.isPaused, schedule: dag.timetableSummary })),
          ['dag_id', 'fileloc', 'owners', 'is_paused', 'schedule'],
          options.json,
        );
      }),
    );

  dags
    .command('reserialize')
    .description('Parse every DAG file now and store the results (what the DAG processor does continuously)')
    .action(() =>
      context.withStore(async (store) => {
        const { results, summary } = await parseDagFoldersIntoStore(store, {
          folders: dagFolders(context.config),
          timeoutSeconds: context.config.core.dag_import_timeout,
          pausedAtCreation: context.config.core.dags_are_paused_at_creation,
        });
        println(`Parsed ${results.length} file(s): ${summary.dags} DAG(s), ${summary.newVersions} new version(s), ${summary.importErrors} import error(s).`);
        if (summary.importErrors > 0) process.exitCode = EXIT.failed;
      }),
    );

  dags
    .command('list-import-errors')
    .description('List DAG files that failed to import, with their error')
    .option('--json', 'print JSON')
    .action((options: { json?: boolean }) =>
      context.withStore(async (store) => {
        const errors = await listImportErrors(store.db);
        printTable(
          errors.map((error) => ({ filename: error.filename, code: error.code, message: error.message.split('\n')[0] })),
          ['filename', 'code', 'message'],
          options.json,
        );
      }),
    );

  dags
    .command('show')
    .description('Print the tasks of a DAG and their dependencies (`--dot` for Graphviz)')
    .argument('<dag_id>')
    .option('--dot', 'print a Graphviz dot graph')
    .action((dagId: string, options: { dot?: boolean }) =>
      context.withStore(async (store) => {
        const latest = await getLatestSerializedDag(store.db, dagId);
        const dag = latest?.dag ?? (await parseAndFindDag(context, store, dagId)).dag;
        println(options.dot === true ? toDot(dag) : describeDag(dag));
      }),
    );

  dags
    .command('test')
    .description('Run one DAG run now, in the foreground, in dependency order, and record it')
    .argument('<dag_id>')
    .argument('[logical_date]', 'ISO date or timestamp; a plain date is midnight in the DAG timezone (default: now)')
    .option('-c, --conf <json>', 'JSON object passed as dag_run.conf (overrides params)')
    .option('-f, --file <path>', 'parse only this DAG file')
    .option('--show-logs', 'stream every task log to the terminal')
    .action((dagId: string, date: string | undefined, options: { conf?: string; file?: string; showLogs?: boolean }) =>
      context.withStore(async (store) => {
        const conf = parseConf(options.conf);
        const { dag, versionHash } = await parseAndFindDag(context, store, dagId, options.file);
        const logicalDate = parseLogicalDate(date, dag.timezone);
        const api = createStoreTaskExecutionApi(store, { xcomMaxBytes: context.config.core.xcom_max_size_bytes });
        const progress = createRunProgress(dag, context.config.logging.base_log_folder, options.showLogs === true);
        const runner = createLocalTaskRunner({ config: context.config, api, size: 1 });
        try {
          const result = await runDagInForeground({ store, dag, versionHash, logicalDate, conf, runTry: runner.runTry, onEvent: progress.onEvent });
          if (result.state !== 'success') process.exitCode = EXIT.failed;
        } finally {
          await runner.close();
        }
      }),
    );
  return dags;
}

export function parseConf(text: string | undefined): JsonObject {
  if (text === undefined) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UpdraftError('INVALID_ARGUMENT', `--conf is not valid JSON: ${(error as Error).message}`, { hint: `Pass a JSON object, e.g. --conf '{"my_param": 1}'` });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new UpdraftError('INVALID_ARGUMENT', '--conf must be a JSON object', { hint: `Pass a JSON object, e.g. --conf '{"my_param": 1}'` });
  }
  return value as JsonObject;
}

function describeDag(dag: SerializedDag): string {
  const lines = [`${dag.dagId}  (${dag.timetable.summary}, timezone ${dag.timezone}${dag.tags.length ? `, tags ${dag.tags.join(', ')}` : ''})`];
  if (dag.description) lines.push(`  ${dag.description}`);
  for (const task of dag.tasks) {
    const upstream = task.upstream.length > 0 ? `  <- ${task.upstream.join(', ')}` : '';
    lines.push(`  ${task.taskId} [${task.operator}]${upstream}`);
  }
  return lines.join('\n');
}

function toDot(dag: SerializedDag): string {
  const quote = (id: string): string => JSON.stringify(id);
  const edges = dag.tasks.flatMap((task) => task.downstream.map((down) => `  ${quote(task.taskId)} -> ${quote(down)};`));
  return [`digraph ${quote(dag.dagId)} {`, '  rankdir=LR;', ...dag.tasks.map((task) => `  ${quote(task.taskId)};`), ...edges, '}'].join('\n');
}
