import { pino } from 'pino';

/**
 * The little an executor logs: refused tries, tries it lost to unexpected errors, listeners that
 * threw. The shape is pino's, so a component's own pino logger (or a child of it) can be passed in.
 */
export interface ExecutorLogger {
  warn(details: Record<string, unknown>, message: string): void;
  error(details: Record<string, unknown>, message: string): void;
}

/** A pino logger on stderr at `level` (logging.level), for executors created without a logger. */
export function defaultExecutorLogger(name: string, level: string): ExecutorLogger {
  return pino({ name, level }, pino.destination(2));
}
