import { UpdraftError, type ErrorCode, type UpdraftErrorOptions } from '../contracts/errors.ts';

/** Throw from a task to end it as `skipped` (Airflow's AirflowSkipException). */
export class SkipError extends UpdraftError {
  constructor(message = 'Task skipped') {
    super('TASK_SKIPPED', message);
    this.name = 'SkipError';
  }
}

/** Throw from a task to fail it without using the retries left (Airflow's AirflowFailException). */
export class NonRetriableError extends UpdraftError {
  constructor(message: string, options: UpdraftErrorOptions & { code?: ErrorCode } = {}) {
    super(options.code ?? 'TASK_FAILED', message, options);
    this.name = 'NonRetriableError';
  }
}

/**
 * Thrown by sensors in `reschedule` mode: ends the try as `up_for_reschedule`, freeing its slot,
 * and asks to be run again at `rescheduleAt`. Not an error of the task.
 */
export class RescheduleError extends Error {
  readonly rescheduleAt: Date;

  constructor(rescheduleAt: Date) {
    super(`Rescheduling the task to ${rescheduleAt.toISOString()}`);
    this.name = 'RescheduleError';
    this.rescheduleAt = rescheduleAt;
  }
}
