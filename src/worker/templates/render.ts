import nunjucks from 'nunjucks';
import { UpdraftError } from '../../contracts/errors.ts';
import type { JsonValue } from '../../contracts/json.ts';
import { serializeTask, type BaseOperator, type Dag, type TaskContext } from '../../sdk/index.ts';
import type { TaskServices } from './context.ts';
import { templateEnvironment } from './environment.ts';
import { TemplateLookups } from './lookups.ts';
import { templateView } from './template-view.ts';

/** Enough for chains like `var.value[var.value.env ~ '_bucket']`; more means the templates keep asking for new names. */
const MAX_PASSES = 5;

export interface RenderInput {
  dag: Dag;
  task: BaseOperator;
  context: TaskContext;
  services: TaskServices;
}

/**
 * Renders the task's template fields in place (Airflow's render_templates) and returns their
 * rendered values, JSON-safe, for the UI's "Rendered template" view. Strings are templates;
 * arrays and plain objects are rendered recursively; a string ending in one of the operator's
 * `templateExt` names a template file in the DAG folder or templateSearchpath.
 */
export async function renderTemplateFields(input: RenderInput): Promise<Record<string, JsonValue>> {
  const { dag, task } = input;
  // Most tasks (every @task) template nothing: no environment, view or serialization to build.
  if (task.templateFields.length === 0) return {};
  const env = templateEnvironment(dag);
  const lookups = new TemplateLookups();
  const view = templateView(input.context, lookups, input.services, dag.userDefinedMacros);
  const fields = task as unknown as Record<string, unknown>;
  for (let pass = 1; pass <= MAX_PASSES; pass++) {
    lookups.startPass();
    let rendered: Map<string, unknown> | undefined;
    let failure: unknown;
    try {
      rendered = new Map(task.templateFields.map((field) => [field, renderField(env, view, task, field, fields[field])]));
    } catch (error) {
      failure = error;
    }
    // A failure may come from a value that was not fetched yet: fetch, then judge the next pass.
    if (await lookups.fetchWanted()) continue;
    if (failure !== undefined) throw failure;
    lookups.assertNothingMissing();
    for (const [field, value] of rendered ?? []) fields[field] = value;
    return serializeTask(task).templateFieldValues;
  }
  throw new UpdraftError('TEMPLATE_ERROR', `Task "${task.taskId}" of DAG "${dag.dagId}": templates asked for new variables in each of ${MAX_PASSES} passes`, {
    hint: 'Simplify variable lookups that depend on other variables',
    details: { dagId: dag.dagId, taskId: task.taskId },
  });
}

function renderField(env: nunjucks.Environment, view: object, task: BaseOperator, field: string, value: unknown): unknown {
  const render = (item: unknown): unknown => {
    if (typeof item === 'string') return renderString(env, view, task, field, item);
    if (Array.isArray(item)) return item.map(render);
    if (typeof item === 'object' && item !== null && Object.getPrototypeOf(item) === Object.prototype) {
      return Object.fromEntries(Object.entries(item).map(([key, inner]) => [key, render(inner)]));
    }
    return item;
  };
  return render(value);
}

function renderString(env: nunjucks.Environment, view: object, task: BaseOperator, field: string, text: string): string {
  const fromFile = task.templateExt.some((ext) => text.endsWith(ext));
  try {
    if (fromFile) return env.getTemplate(text).render(view);
    return env.renderString(text, view);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const site = `Task "${task.taskId}" of DAG "${task.dagId}"`;
    if (fromFile && /template not found/i.test(message)) {
      throw new UpdraftError('TEMPLATE_NOT_FOUND', `${site}: template file "${text}" of field "${field}" was not found`, {
        hint: 'Put the file next to the DAG file or in templateSearchpath; add a trailing space to the value to use it as a literal command',
        details: { dagId: task.dagId, taskId: task.taskId, field, file: text },
      });
    }
    throw new UpdraftError('TEMPLATE_ERROR', `${site}: cannot render field "${field}": ${message.replace(/\s+/g, ' ').trim()}`, {
      hint: 'Fix the template syntax or the value it reads',
      details: { dagId: task.dagId, taskId: task.taskId, field },
      cause: error,
    });
  }
}
