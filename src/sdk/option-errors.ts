import { UpdraftError } from '../contracts/errors.ts';

/** Where an option lives, so that every definition-time error names its DAG and task. */
export interface OptionSite {
  dagId?: string;
  taskId?: string;
}

function describeSite(site: OptionSite): string {
  if (site.dagId !== undefined && site.taskId !== undefined) return `DAG "${site.dagId}", task "${site.taskId}"`;
  if (site.dagId !== undefined) return `DAG "${site.dagId}"`;
  if (site.taskId !== undefined) return `task "${site.taskId}"`;
  return 'DAG definition';
}

/** A one-line DAG_INVALID_OPTION error naming where it happened and how to fix it. */
export function invalidOption(site: OptionSite, message: string, hint: string): UpdraftError {
  return new UpdraftError('DAG_INVALID_OPTION', `${describeSite(site)}: ${message}`, { hint, details: { ...site } });
}

/** Same shape as invalidOption for the other definition-time codes. */
export function definitionError(
  code: 'DAG_CYCLE' | 'DAG_DUPLICATE_TASK_ID' | 'DAG_INVALID_ID' | 'DAG_INVALID_TRIGGER_RULE' | 'DAG_INVALID_DATES' | 'DAG_DUPLICATE_ID',
  site: OptionSite,
  message: string,
  hint: string,
  extra: Record<string, unknown> = {},
): UpdraftError {
  return new UpdraftError(code, `${describeSite(site)}: ${message}`, { hint, details: { ...site, ...extra } });
}

/** Runs a check from src/contracts (which knows no DAG) and names the DAG and task in its error. */
export function withSite<T>(site: OptionSite, check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (!(error instanceof UpdraftError)) throw error;
    throw new UpdraftError(error.code, `${describeSite(site)}: ${error.message}`, { hint: error.hint, details: { ...error.details, ...site } });
  }
}
