/** The scheduler daemon: the loop that applies core's decisions (src/core/scheduling) to the store. */
export { Scheduler, type IterationSummary, type SchedulerOptions } from './scheduler.ts';
export type { SchedulerEvent, SchedulerEventListener, SchedulerPhase } from './scheduler-events.ts';
export { describeSchedulerEvent } from './describe-event.ts';
export { SCHEDULER_JOB_TYPE } from './liveness.ts';
export { createSchedulerWithExecutor, createSupervisorApi } from './create-scheduler.ts';
