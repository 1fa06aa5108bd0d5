import { DateTime } from 'luxon';
import type { SerializedParam, SerializedTimetable } from '../contracts/serialized-dag.ts';
import { assertTimezone, toSerializedTimetable, type ScheduleSpec } from '../contracts/schedule.ts';
import { durationToSeconds, type DurationInput } from './duration.ts';
import { assertValidId } from './ids.ts';
import { optionalBoolean, optionalFunctions, optionalNumber, optionalString, optionalStringList } from './option-checks.ts';
import { definitionError, invalidOption, withSite, type OptionSite } from './option-errors.ts';
import { normalizeParams, type ParamsInput } from './params.ts';
import type { ContextDag, DagRunContext } from './task-context.ts';
import type { DefaultArgs } from './task-options.ts';

/** What DAG-level callbacks receive once a run has finished. */
export interface DagCallbackContext {
  dag: ContextDag;
  dag_run: DagRunContext;
  run_id: string;
  /** Why the run ended (e.g. `success`, `task_failure`, `timed_out`). */
  reason: string;
}

export type DagCallback = (context: DagCallbackContext) => void | Promise<void>;

/** User-defined macros: functions templates call as `{{ my_macro(ds) }}`. */
export type MacroFunction = (...args: never[]) => unknown;

/** Options of `dag(options, build)` (Airflow's DAG arguments, in camelCase). */
export interface DagOptions {
  dagId: string;
  /** null (manual runs only, the default), '@once', a preset, a cron expression, `{ days: 1 }` or `{ intervalCron }`. */
  schedule?: ScheduleSpec;
  /** ISO string or Date. A date-only string (`2015-06-01`) is midnight in the DAG's timezone. */
  startDate?: string | Date;
  endDate?: string | Date;
  /** IANA zone for cron schedules and date-only dates. Default `UTC`. */
  timezone?: string;
  /** Create the runs missed since startDate. Default false. */
  catchup?: boolean;
  /** Task options applied to every task that does not set them. */
  defaultArgs?: DefaultArgs;
  /** Plain JSON values (their type becomes the schema) or `param(default, schema)`. */
  params?: ParamsInput;
  tags?: string[];
  owner?: string;
  description?: string;
  /** Markdown shown on the DAG page. */
  docMd?: string;
  /** Default 16. */
  maxActiveRuns?: number;
  /** Default 16. */
  maxActiveTasks?: number;
  /** A run longer than this is failed. */
  dagrunTimeout?: DurationInput;
  /** Unset: the configured default (`core.dags_are_paused_at_creation`). */
  isPausedUponCreation?: boolean;
  /** Folders (absolute or relative to the DAG file) searched for template files besides the DAG folder. */
  templateSearchpath?: string | string[];
  userDefinedMacros?: Record<string, MacroFunction>;
  onSuccessCallback?: DagCallback | DagCallback[];
  onFailureCallback?: DagCallback | DagCallback[];
}

/** DAG options after validation and defaults. */
export interface DagSettings {
  dagId: string;
  timetable: SerializedTimetable;
  startDate: DateTime | null;
  endDate: DateTime | null;
  timezone: string;
  catchup: boolean;
  defaultArgs: DefaultArgs;
  params: Record<string, SerializedParam>;
  tags: string[];
  owner: string;
  description: string | null;
  docMd: string | null;
  maxActiveRuns: number;
  maxActiveTasks: number;
  dagrunTimeoutSeconds: number | null;
  isPausedUponCreation: boolean | null;
  templateSearchpath: string[];
  userDefinedMacros: Record<string, MacroFunction>;
  onSuccessCallback: DagCallback[];
  onFailureCallback: DagCallback[];
}

/** Matches the config defaults `core.max_active_runs_per_dag` / `max_active_tasks_per_dag`. */
const DEFAULT_MAX_ACTIVE = 16;
const DEFAULT_OWNER = 'updraft';

export function normalizeDagOptions(options: DagOptions): DagSettings {
  if (typeof options !== 'object' || options === null) {
    throw invalidOption({}, 'dag() needs an options object', "dag({ dagId: 'my_dag', schedule: '@daily', startDate: '2024-01-01' }, () => { ... })");
  }
  const dagId = assertValidId('DAG', options.dagId, { dagId: String(options.dagId) });
  const site: OptionSite = { dagId };
  const timezone = optionalString(site, 'timezone', options.timezone) ?? 'UTC';
  withSite(site, () => assertTimezone(timezone));
  const timetable = withSite(site, () => toSerializedTimetable(options.schedule, timezone));
  const startDate = parseDate(site, 'startDate', options.startDate, timezone);
  const endDate = parseDate(site, 'endDate', options.endDate, timezone);
  if (startDate !== null && endDate !== null && endDate < startDate) {
    throw definitionError('DAG_INVALID_DATES', site, `endDate ${endDate.toISO()} is before startDate ${startDate.toISO()}`, 'Set endDate after startDate or remove it');
  }
  if (timetable.kind !== 'none' && startDate === null) {
    throw invalidOption(site, `schedule ${timetable.summary} needs a startDate`, "Add startDate: '2024-01-01' (or use schedule: null for manual runs only)");
  }
  const defaultArgs = options.defaultArgs ?? {};
  if (typeof defaultArgs !== 'object' || defaultArgs === null) throw invalidOption(site, 'option "defaultArgs" must be an object of task options', 'defaultArgs: { retries: 1 }');
  const owner = optionalString(site, 'owner', options.owner) ?? optionalString(site, 'defaultArgs.owner', defaultArgs.owner) ?? DEFAULT_OWNER;
  const macros = options.userDefinedMacros ?? {};
  for (const [name, fn] of Object.entries(macros)) {
    if (typeof fn !== 'function') throw invalidOption(site, `user macro "${name}" is not a function`, 'userDefinedMacros maps names to functions');
  }
  return {
    dagId,
    timetable,
    startDate,
    endDate,
    timezone,
    catchup: optionalBoolean(site, 'catchup', options.catchup) ?? false,
    defaultArgs,
    params: normalizeParams(options.params, site),
    tags: optionalStringList(site, 'tags', options.tags) ?? [],
    owner,
    description: optionalString(site, 'description', options.description) ?? null,
    docMd: optionalString(site, 'docMd', options.docMd) ?? null,
    maxActiveRuns: optionalNumber(site, 'maxActiveRuns', options.maxActiveRuns, { integer: true, min: 1 }) ?? DEFAULT_MAX_ACTIVE,
    maxActiveTasks: optionalNumber(site, 'maxActiveTasks', options.maxActiveTasks, { integer: true, min: 1 }) ?? DEFAULT_MAX_ACTIVE,
    dagrunTimeoutSeconds: options.dagrunTimeout === undefined ? null : durationToSeconds(options.dagrunTimeout, 'dagrunTimeout', site),
    isPausedUponCreation: optionalBoolean(site, 'isPausedUponCreation', options.isPausedUponCreation) ?? null,
    templateSearchpath: optionalStringList(site, 'templateSearchpath', options.templateSearchpath, true) ?? [],
    userDefinedMacros: macros,
    onSuccessCallback: optionalFunctions<DagCallback>(site, 'onSuccessCallback', options.onSuccessCallback),
    onFailureCallback: optionalFunctions<DagCallback>(site, 'onFailureCallback', options.onFailureCallback),
  };
}

function parseDate(site: OptionSite, name: string, value: unknown, timezone: string): DateTime | null {
  if (value === undefined || value === null) return null;
  const parsed =
    value instanceof Date ? DateTime.fromJSDate(value, { zone: timezone }) : typeof value === 'string' ? DateTime.fromISO(value, { zone: timezone }) : null;
  if (parsed === null || !parsed.isValid) {
    throw invalidOption(site, `option "${name}" must be an ISO date string or a Date, got ${JSON.stringify(value)}`, `Write ${name}: '2024-01-01' or '2024-01-01T06:00:00Z'`);
  }
  return parsed;
}
