/**
 * Log lines of the task runtime and built-in operators. They go to the task process's stdout and
 * stderr like everything user code prints, so the supervisor writes them to the try's log file in
 * order. The format mimics Airflow's task logs.
 */
function line(level: string, message: string): string {
  return `[${new Date().toISOString()}] ${level} - ${message}\n`;
}

export const taskLog = {
  info(message: string): void {
    process.stdout.write(line('INFO', message));
  },
  warn(message: string): void {
    process.stderr.write(line('WARNING', message));
  },
  error(message: string, error?: unknown): void {
    const detail = error instanceof Error ? `\n${error.stack ?? error.message}` : error === undefined ? '' : `\n${String(error)}`;
    process.stderr.write(line('ERROR', `${message}${detail}`));
  },
};
