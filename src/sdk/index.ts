/**
 * The Updraft authoring SDK: what DAG files import as `updraft`.
 *
 * ```ts
 * import { dag, task, BashOperator, chain } from 'updraft';
 * ```
 * Everything here depends only on src/contracts, so DAG files never load the store or a database driver.
 */

// DAGs
/** Defines a DAG; operators created inside the builder attach to it. */
export { dag } from './define-dag.ts';
/** A defined DAG: tasks, settings and `serialize()`. */
export { Dag } from './dag.ts';
export type { DagOptions, DagSettings, DagCallback, DagCallbackContext, MacroFunction } from './dag-options.ts';
/** A DAG param with a JSON Schema (Airflow's Param). */
export { param, type ParamsInput } from './params.ts';
export type { ScheduleSpec, IntervalCronSchedule } from '../contracts/schedule.ts';
export type { DurationSpec, SerializedDag, SerializedTask, SerializedParam } from '../contracts/serialized-dag.ts';
export type { DurationInput } from './duration.ts';

// Tasks and dependencies
/** The base class of every operator. */
export { BaseOperator } from './base-operator.ts';
export type { TaskOptions, DefaultArgs, TaskCallback, ResolvedTaskOptions } from './task-options.ts';
/** Shared dependency methods (`then`, `setUpstream`, `setDownstream`) and the handle `then` returns. */
export { Dependable, TaskList, type DependencyTarget } from './dependable.ts';
/** Links tasks in sequence: `chain(a, [b, c], d)`. */
export { chain } from './chain.ts';
/** Groups tasks under a prefixed id: `taskGroup('extract', () => { ... })`. */
export { taskGroup, TaskGroup, type TaskGroupOptions } from './task-group.ts';

// TaskFlow
/** Turns a function into a task; `task.branch` and `task.shortCircuit` for control flow. */
export { task, TaskFlowOperator, type TaskFlowFunction, type TaskFlowOptions, type XComArgs } from './taskflow.ts';
/** A reference to another task's return value. */
export { XComArg } from './xcom-arg.ts';

// Operators and sensors
export { EmptyOperator } from './operators/empty.ts';
export { BashOperator, type BashOperatorOptions } from './operators/bash.ts';
export { BaseBranchOperator } from './operators/branch.ts';
export { ShortCircuitOperator, type ShortCircuitOperatorOptions } from './operators/short-circuit.ts';
export { BaseSensorOperator, type BaseSensorOptions } from './sensors/base-sensor.ts';

// Run time
/** The running task's context (Airflow's get_current_context). */
export { getCurrentContext, runWithContext } from './current-context.ts';
export type {
  TaskContext,
  TaskCallbackContext,
  DagRunContext,
  ContextDag,
  ContextTask,
  TaskInstanceHandle,
  XComPullQuery,
  VariableAccessor,
  ConnectionAccessor,
  Macros,
} from './task-context.ts';
/** Dates in the context: print like Airflow, compute with Luxon. */
export { ContextDateTime } from './context-datetime.ts';
/** Throw to skip the task, to fail it without retries, or (sensors) to reschedule it. */
export { SkipError, NonRetriableError, RescheduleError } from './task-signals.ts';
/** Python strftime/strptime codes on Luxon dates. */
export { strftime, strptime } from './strftime.ts';
export { UpdraftError } from '../contracts/errors.ts';

// Loading (used by the DAG processor, `dags test` and task processes)
export { loadDagFile, type LoadedDagFile, type LoadDagFileOptions } from './loader.ts';
export { serializeDag, serializeTask } from './serialize.ts';
