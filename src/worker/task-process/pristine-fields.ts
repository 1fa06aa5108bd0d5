import type { BaseOperator } from '../../sdk/index.ts';

/**
 * Rendering writes into the operator's template fields, and a warm task process keeps the
 * imported DAG for the next try. The first values of each task's fields are kept here and put
 * back before every try, so that the next try renders the template, not the last result.
 */
const pristine = new WeakMap<BaseOperator, Map<string, unknown>>();

export function restoreTemplateFields(task: BaseOperator): void {
  const fields = task as unknown as Record<string, unknown>;
  let saved = pristine.get(task);
  if (saved === undefined) {
    saved = new Map(task.templateFields.map((field) => [field, copy(fields[field])]));
    pristine.set(task, saved);
  }
  for (const [field, value] of saved) fields[field] = copy(value);
}

/** Template fields hold strings, arrays and plain objects; other values are shared as they are. */
function copy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copy);
  if (typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, copy(inner)]));
  }
  return value;
}
