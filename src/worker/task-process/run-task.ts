import { statSync } from 'node:fs';
import { UpdraftError } from '../../contracts/errors.ts';
import { toXComValue } from '../../contracts/xcom-value.ts';
import type { TaskOutcome } from '../../contracts/task-execution-api.ts';
import type { TaskRunContextData } from '../../contracts/task-instance.ts';
import type { TaskWorkload } from '../../contracts/workload.ts';
import { loadDagFile, runWithContext, type BaseOperator, type Dag, type TaskCallback, type TaskContext } from '../../sdk/index.ts';
import { taskLog } from '../../sdk/task-log.ts';
import { buildTaskContext, createMacros, renderTemplateFields } from '../templates/index.ts';
import { restoreTemplateFields } from './pristine-fields.ts';
import type { TryApi } from './supervisor-channel.ts';
import { outcomeOfError } from './try-outcome.ts';

/** A try's outcome, and the log lines that close it. */
export interface TaskRun {
  outcome: TaskOutcome;
  /**
   * Writes the lines that end the try's log ("Marking task as ...", "Task exited ..."), just before
   * the task process sends the outcome; when outcome callbacks ran, the marking line was written
   * before them already, as Airflow does.
   */
  writeClosingLines(): void;
}

/**
 * Runs one try of a task in this process: import (cached per DAG file), render templates,
 * execute, skip what a branch did not choose, decide the outcome (a success carries the return
 * value, which the supervisor stores with it) and run the outcome's callbacks.
 * Never throws: every failure becomes the outcome of the try.
 */
export async function runTask(workload: TaskWorkload, run: TaskRunContextData, api: TryApi): Promise<TaskRun> {
  let task: BaseOperator | undefined;
  let context: TaskContext | undefined;
  let outcome: TaskOutcome;
  let failure: unknown = null;
  try {
    const dag = await findDag(workload);
    task = dag.getTask(workload.key.taskId);
    restoreTemplateFields(task);
    const built = buildTaskContext({ dag, task, run, services: api, macros: createMacros(dag.userDefinedMacros) });
    context = built.context;
    const rendered = await renderTemplateFields({ dag, task, context, services: api });
    for (const field of task.templateFields) {
      const value = rendered[field];
      if (value !== null && value !== undefined) taskLog.info(`Rendered ${snakeCase(field)}: ${display(value)}`);
    }
    // Storing the rendered fields is for display only: the supervisor stores them alongside the
    // execution, and a failure to store them is noted in the log, never the task's failure.
    if (workload.mode === 'render' || task.templateFields.length > 0) api.reportRenderedFields(rendered);
    if (workload.mode === 'render') return { outcome: { state: 'success' }, writeClosingLines: () => undefined };

    await runCallbacks('onExecute', task.settings.callbacks.onExecute, context, null);
    const current = task;
    const executeContext = context;
    const result = await runWithContext(executeContext, () => current.execute(executeContext));
    // Pushes the task started without awaiting them still belong to the try.
    await Promise.all(built.pendingPushes);
    // Converted before anything is skipped: a return value that cannot be stored fails the try.
    const success = successOutcome(result, task, run.xcomMaxBytes);
    const skipped = task.tasksToSkip(result);
    if (skipped.length > 0) {
      taskLog.info(`Skipping downstream tasks: ${skipped.join(', ')}`);
      await api.skipTasks(skipped);
    }
    outcome = success;
  } catch (error) {
    failure = error;
    outcome = outcomeOfError(error, workload, new Date());
  }
  let reported = false;
  if (task !== undefined && context !== undefined) {
    const callbacks = outcomeCallbacks(task, outcome);
    if (callbacks.list.length > 0) {
      // Airflow's order: the outcome is marked, then its callbacks run.
      report(outcome, failure, workload);
      reported = true;
      await runCallbacks(callbacks.name, callbacks.list, context, failure);
    }
  }
  return {
    outcome,
    writeClosingLines: () => {
      if (!reported) report(outcome, failure, workload);
      taskLog.info(`Task exited with return code ${outcome.state === 'failed' || outcome.state === 'up_for_retry' ? 1 : 0}`);
    },
  };
}

/**
 * The return value rides on the success and is stored with it, saving a round trip per try. Its
 * size is checked here, against the store's limit, so that a value too large to store fails the try
 * before any success callback runs.
 */
function successOutcome(result: unknown, task: BaseOperator, xcomMaxBytes: number | null): TaskOutcome {
  if (result === undefined || !task.settings.doXcomPush) return { state: 'success' };
  return { state: 'success', returnValue: toXComValue(result, { maxBytes: xcomMaxBytes, taskId: task.taskId, key: 'return_value' }) };
}

async function findDag(workload: TaskWorkload): Promise<Dag> {
  const { dags } = await loadDagFile(workload.dagFile, { cacheBust: fileFingerprint(workload.dagFile) ?? workload.dagVersionHash });
  const dag = dags.find((candidate) => candidate.dagId === workload.key.dagId);
  if (dag === undefined) {
    throw new UpdraftError('DAG_NOT_FOUND', `DAG "${workload.key.dagId}" is not defined in ${workload.dagFile}`, {
      hint: `The file defines: ${dags.map((d) => d.dagId).join(', ') || '(no DAGs)'}`,
      details: { dagId: workload.key.dagId, file: workload.dagFile },
    });
  }
  return dag;
}

/**
 * What the file's import is cached under: its size, time and inode, so that every DAG of a file
 * shares one import (a key per DAG version would import a file of ten DAGs ten times in every
 * process) and a changed file is imported afresh. Null when the file cannot be read; the import
 * then reports why.
 */
function fileFingerprint(file: string): string | null {
  try {
    const { mtimeMs, size, ino } = statSync(file);
    return `${mtimeMs}-${size}-${ino}`;
  } catch {
    return null;
  }
}

function report(outcome: TaskOutcome, failure: unknown, workload: TaskWorkload): void {
  const { dagId, taskId, runId } = workload.key;
  if (outcome.state === 'failed' || outcome.state === 'up_for_retry') taskLog.error('Task failed with exception', failure);
  if (outcome.state === 'skipped') taskLog.info(outcome.reason ?? 'Task skipped');
  taskLog.info(`Marking task as ${outcome.state.toUpperCase()}. dag_id=${dagId}, task_id=${taskId}, run_id=${runId}`);
}

/** The callbacks an outcome calls for. Callbacks report, they never decide: their errors are logged and the outcome stands. */
function outcomeCallbacks(task: BaseOperator, outcome: TaskOutcome): { name: string; list: readonly TaskCallback[] } {
  const { callbacks } = task.settings;
  if (outcome.state === 'success') return { name: 'onSuccess', list: callbacks.onSuccess };
  if (outcome.state === 'up_for_retry') return { name: 'onRetry', list: callbacks.onRetry };
  if (outcome.state === 'failed') return { name: 'onFailure', list: callbacks.onFailure };
  return { name: 'none', list: [] };
}

async function runCallbacks(name: string, callbacks: readonly TaskCallback[], context: TaskContext, exception: unknown): Promise<void> {
  // Spreading the context reads every lazy date and string on it: only worth it for a callback.
  if (callbacks.length === 0) return;
  const callbackContext = { ...context, exception };
  for (const callback of callbacks) {
    try {
      await runWithContext(callbackContext, () => callback(callbackContext));
    } catch (error) {
      if (name === 'onExecute') throw error;
      taskLog.error(`Error in ${name} callback ${callback.name || '(anonymous)'}`, error);
    }
  }
}

function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

function display(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
