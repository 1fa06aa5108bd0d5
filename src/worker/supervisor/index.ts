/**
 * Supervised task processes: a warm pool and the code that runs one try in it. See
 * docs/adr/0003-task-output-flows-through-the-supervisor.md for the rules this folder keeps.
 */
export type { SupervisorEvent, SupervisorEventListener } from './events.ts';
export { runTaskTry, type RunTaskTryOptions } from './run-task-try.ts';
export { DEFAULT_TASK_PROCESS_ENTRY, TaskProcessPool, type Isolation, type TaskProcessPoolOptions } from './task-process-pool.ts';
export type { TaskProcess, TaskProcessExit } from './task-process.ts';
export { END_MARKER_PREFIX } from './marked-output.ts';
