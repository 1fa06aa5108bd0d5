import { UpdraftError } from '../../contracts/errors.ts';
import type { TaskOutcome } from '../../contracts/task-execution-api.ts';
import type { TaskRunContextData } from '../../contracts/task-instance.ts';
import type { TaskWorkload } from '../../contracts/workload.ts';
import { loadDagFile, runWithContext, type BaseOperator, type Dag, type TaskCallback, type TaskContext } from '../../sdk/index.ts';
import { taskLog } from '../../sdk/task-log.ts';
import { buildTaskContext, createMacros, renderTemplateFields, toXComValue } from '../templates/index.ts';
import { restoreTemplateFields } from './pristine-fields.ts';
import type { TryApi } from './supervisor-channel.ts';
import { outcomeOfError } from './try-outcome.ts';

/**
 * Runs one try of a task in this process: import (cached per DAG version), render templates,
 * execute, push the return value, skip what a branch did not choose, and decide the outcome.
 * Never throws: every failure becomes the outcome of the try.
 */
export async function runTask(workload: TaskWorkload, run: TaskRunContextData, api: TryApi): Promise<TaskOutcome> {
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
    if (workload.mode === 'render') {
      await api.setRenderedFields(rendered);
      return { state: 'success' };
    }
    // Storing the rendered fields is for display only: it proceeds alongside execution instead of
    // delaying it, and a failure to store them is logged, never the task's failure.
    const renderedStored =
      task.templateFields.length === 0
        ? Promise.resolve()
        : api.setRenderedFields(rendered).catch((error: unknown) => taskLog.error('Could not store the rendered template fields', error));

    await runCallbacks('onExecute', task.settings.callbacks.onExecute, context, null);
    const current = task;
    const executeContext = context;
    const result = await runWithContext(executeContext, () => current.execute(executeContext));
    // Pushes the task started without awaiting them still belong to the try.
    await Promise.all([...built.pendingPushes, renderedStored]);
    if (result !== undefined && task.settings.doXcomPush) await api.pushXCom('return_value', toXComValue(result, 'return_value'));
    const skipped = task.tasksToSkip(result);
    if (skipped.length > 0) {
      taskLog.info(`Skipping downstream tasks: ${skipped.join(', ')}`);
      await api.skipTasks(skipped);
    }
    outcome = { state: 'success' };
  } catch (error) {
    failure = error;
    outcome = outcomeOfError(error, workload, new Date());
  }
  report(outcome, failure, workload);
  if (task !== undefined && context !== undefined) await runOutcomeCallbacks(task, context, outcome, failure);
  taskLog.info(`Task exited with return code ${outcome.state === 'failed' || outcome.state === 'up_for_retry' ? 1 : 0}`);
  return outcome;
}

async function findDag(workload: TaskWorkload): Promise<Dag> {
  const { dags } = await loadDagFile(workload.dagFile, { cacheBust: workload.dagVersionHash });
  const dag = dags.find((candidate) => candidate.dagId === workload.key.dagId);
  if (dag === undefined) {
    throw new UpdraftError('DAG_NOT_FOUND', `DAG "${workload.key.dagId}" is not defined in ${workload.dagFile}`, {
      hint: `The file defines: ${dags.map((d) => d.dagId).join(', ') || '(no DAGs)'}`,
      details: { dagId: workload.key.dagId, file: workload.dagFile },
    });
  }
  return dag;
}

function report(outcome: TaskOutcome, failure: unknown, workload: TaskWorkload): void {
  const { dagId, taskId, runId } = workload.key;
  if (outcome.state === 'failed' || outcome.state === 'up_for_retry') taskLog.error('Task failed with exception', failure);
  if (outcome.state === 'skipped') taskLog.info(outcome.reason ?? 'Task skipped');
  taskLog.info(`Marking task as ${outcome.state.toUpperCase()}. dag_id=${dagId}, task_id=${taskId}, run_id=${runId}`);
}

/** Callbacks report, they never decide: their errors are logged and the outcome stands. */
async function runOutcomeCallbacks(task: BaseOperator, context: TaskContext, outcome: TaskOutcome, failure: unknown): Promise<void> {
  const { callbacks } = task.settings;
  if (outcome.state === 'success') await runCallbacks('onSuccess', callbacks.onSuccess, context, null);
  if (outcome.state === 'up_for_retry') await runCallbacks('onRetry', callbacks.onRetry, context, failure);
  if (outcome.state === 'failed') await runCallbacks('onFailure', callbacks.onFailure, context, failure);
}

async function runCallbacks(name: string, callbacks: readonly TaskCallback[], context: TaskContext, exception: unknown): Promise<void> {
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
