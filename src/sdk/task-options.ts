import type { SerializedTask } from '../contracts/serialized-dag.ts';
import { TRIGGER_RULES, WEIGHT_RULES, type TriggerRule, type WeightRule } from '../contracts/states.ts';
import { durationToSeconds, type DurationInput } from './duration.ts';
import { optionalBoolean, optionalEnum, optionalFunctions, optionalNumber, optionalString, optionalStringList } from './option-checks.ts';
import { definitionError, type OptionSite } from './option-errors.ts';
import type { TaskCallbackContext } from './task-context.ts';

/** A task callback; its errors are logged and never change the task's outcome. */
export type TaskCallback = (context: TaskCallbackContext) => void | Promise<void>;

/** Options every operator accepts (Airflow's BaseOperator arguments, in camelCase). */
export interface TaskOptions {
  /** Unique within the DAG (inside a task group it is prefixed with the group id). */
  taskId: string;
  /** Retries after the first try. Default 0. */
  retries?: number;
  /** Wait before a retry. Default 5 minutes. */
  retryDelay?: DurationInput;
  /** Double the delay on each retry (with jitter). Default false. */
  retryExponentialBackoff?: boolean;
  /** Upper bound for exponential backoff. */
  maxRetryDelay?: DurationInput;
  /** A try running longer than this is failed. */
  executionTimeout?: DurationInput;
  /** Run only when this task succeeded (or was skipped) in the previous DAG run. */
  dependsOnPast?: boolean;
  /** Also wait for the direct downstream tasks of the previous run (implies dependsOnPast). */
  waitForDownstream?: boolean;
  pool?: string;
  poolSlots?: number;
  priorityWeight?: number;
  weightRule?: WeightRule;
  queue?: string;
  /** Executor name; default is the configured executor. */
  executor?: string;
  /** `pool` reuses a warm task process; `process` runs the task in a fresh process. Default `pool`. */
  isolation?: 'pool' | 'process';
  /** When the task may run given its upstream states. Default `all_success`. */
  triggerRule?: TriggerRule;
  owner?: string;
  email?: string | string[];
  emailOnFailure?: boolean;
  emailOnRetry?: boolean;
  onSuccessCallback?: TaskCallback | TaskCallback[];
  onFailureCallback?: TaskCallback | TaskCallback[];
  onRetryCallback?: TaskCallback | TaskCallback[];
  /** Called right before `execute`. */
  onExecuteCallback?: TaskCallback | TaskCallback[];
  /** Markdown shown in the UI. */
  doc?: string;
  /** Push the return value as the `return_value` XCom. Default true. */
  doXcomPush?: boolean;
}

/** Task options a DAG sets for all its tasks (`defaultArgs`); a task's own options win. */
export type DefaultArgs = Omit<Partial<TaskOptions>, 'taskId'>;

/** Task options after defaults and validation, in the units (and names) the serialized DAG uses. */
export type ResolvedTaskOptions = Pick<
  SerializedTask,
  | 'retries'
  | 'retryDelaySeconds'
  | 'retryExponentialBackoff'
  | 'maxRetryDelaySeconds'
  | 'executionTimeoutSeconds'
  | 'dependsOnPast'
  | 'waitForDownstream'
  | 'pool'
  | 'poolSlots'
  | 'priorityWeight'
  | 'weightRule'
  | 'queue'
  | 'executor'
  | 'isolation'
  | 'triggerRule'
  | 'owner'
  | 'email'
  | 'emailOnFailure'
  | 'emailOnRetry'
  | 'doc'
> & {
  /** The functions themselves; the serialized DAG keeps only whether each kind exists. */
  callbacks: { onSuccess: TaskCallback[]; onFailure: TaskCallback[]; onRetry: TaskCallback[]; onExecute: TaskCallback[] };
  doXcomPush: boolean;
};

const DEFAULT_RETRY_DELAY_SECONDS = 300;

/** Fills unset options from `defaults` (the DAG's defaultArgs), then applies Airflow's defaults. */
export function resolveTaskOptions(options: TaskOptions, defaults: DefaultArgs, site: OptionSite, dagOwner: string): ResolvedTaskOptions {
  const merged: Omit<TaskOptions, 'taskId'> = { ...defaults };
  for (const [key, value] of Object.entries(options)) if (value !== undefined) (merged as Record<string, unknown>)[key] = value;
  const seconds = (name: keyof TaskOptions, value: unknown): number | null => (value === undefined ? null : durationToSeconds(value, name, site));
  const triggerRule = merged.triggerRule ?? 'all_success';
  if (!(TRIGGER_RULES as readonly string[]).includes(triggerRule)) {
    throw definitionError('DAG_INVALID_TRIGGER_RULE', site, `unknown trigger rule ${JSON.stringify(triggerRule)}`, `Use one of ${TRIGGER_RULES.join(', ')}`);
  }
  const waitForDownstream = optionalBoolean(site, 'waitForDownstream', merged.waitForDownstream) ?? false;
  return {
    retries: optionalNumber(site, 'retries', merged.retries, { integer: true, min: 0 }) ?? 0,
    retryDelaySeconds: seconds('retryDelay', merged.retryDelay) ?? DEFAULT_RETRY_DELAY_SECONDS,
    retryExponentialBackoff: optionalBoolean(site, 'retryExponentialBackoff', merged.retryExponentialBackoff) ?? false,
    maxRetryDelaySeconds: seconds('maxRetryDelay', merged.maxRetryDelay),
    executionTimeoutSeconds: seconds('executionTimeout', merged.executionTimeout),
    // Airflow: waiting for the previous run's downstream only makes sense when depending on it.
    dependsOnPast: (optionalBoolean(site, 'dependsOnPast', merged.dependsOnPast) ?? false) || waitForDownstream,
    waitForDownstream,
    pool: optionalString(site, 'pool', merged.pool) ?? 'default_pool',
    poolSlots: optionalNumber(site, 'poolSlots', merged.poolSlots, { integer: true, min: 1 }) ?? 1,
    priorityWeight: optionalNumber(site, 'priorityWeight', merged.priorityWeight, { integer: true }) ?? 1,
    weightRule: optionalEnum(site, 'weightRule', merged.weightRule, WEIGHT_RULES) ?? 'downstream',
    queue: optionalString(site, 'queue', merged.queue) ?? 'default',
    executor: optionalString(site, 'executor', merged.executor) ?? null,
    isolation: optionalEnum(site, 'isolation', merged.isolation, ['pool', 'process'] as const) ?? 'pool',
    triggerRule,
    owner: optionalString(site, 'owner', merged.owner) ?? dagOwner,
    email: optionalStringList(site, 'email', merged.email, true) ?? [],
    emailOnFailure: optionalBoolean(site, 'emailOnFailure', merged.emailOnFailure) ?? true,
    emailOnRetry: optionalBoolean(site, 'emailOnRetry', merged.emailOnRetry) ?? true,
    callbacks: {
      onSuccess: optionalFunctions<TaskCallback>(site, 'onSuccessCallback', merged.onSuccessCallback),
      onFailure: optionalFunctions<TaskCallback>(site, 'onFailureCallback', merged.onFailureCallback),
      onRetry: optionalFunctions<TaskCallback>(site, 'onRetryCallback', merged.onRetryCallback),
      onExecute: optionalFunctions<TaskCallback>(site, 'onExecuteCallback', merged.onExecuteCallback),
    },
    doc: optionalString(site, 'doc', merged.doc) ?? null,
    doXcomPush: optionalBoolean(site, 'doXcomPush', merged.doXcomPush) ?? true,
  };
}
