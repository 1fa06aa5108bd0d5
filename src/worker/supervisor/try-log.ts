import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { UpdraftError } from '../../contracts/errors.ts';
import type { OutputSink } from './marked-output.ts';

/**
 * The log file of one try, opened in append mode: the task's stdout/stderr stream into it, and
 * the supervisor adds its own timestamped lines (header, timeout, death, footer).
 * Writes are synchronous on purpose: they land in the page cache in microseconds, whereas the
 * asynchronous open/write/close round trips through libuv's thread pool cost about a millisecond
 * per try, a fifth of a short task's whole orchestration budget. Sync writes also need no
 * back-pressure: a chatty task cannot outrun its log.
 *
 * Placing a log (`at`, which checks the path) and opening it (`open`, which creates folders and
 * the file) are apart so that the supervisor can open it after it has sent the task on its way:
 * the task process wakes on another core meanwhile, and the task's output is read only in a later
 * turn of the event loop, when the file is open.
 */
export class TryLog implements OutputSink {
  readonly path: string;
  #fd: number | null = null;
  /** Whether the last byte written ended a line, so supervisor lines never glue onto task output. */
  #atLineStart = true;
  /** A write failure (disk full...) is kept and thrown by close(), never swallowed. */
  #error: Error | null = null;

  private constructor(path: string) {
    this.path = path;
  }

  /** The log `<logsFolder>/<logPath>`, not opened yet; refuses paths that leave the logs folder. */
  static at(logsFolder: string, logPath: string): TryLog {
    const root = resolve(logsFolder);
    const path = resolve(root, logPath);
    const inside = relative(root, path);
    if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) {
      throw new UpdraftError('INVALID_ARGUMENT', `Log path ${logPath} is outside the logs folder ${root}`, {
        hint: 'Build log paths with taskLogPath() from src/contracts/log-path.ts',
        details: { logPath, logsFolder: root },
      });
    }
    return new TryLog(path);
  }

  /** Creates the folders and opens the file for appending (TASK_LOG_UNAVAILABLE if it cannot); what is written before is lost. */
  open(): void {
    if (this.#fd !== null) return;
    try {
      mkdirSync(dirname(this.path), { recursive: true });
      this.#fd = openSync(this.path, 'a');
    } catch (error) {
      const cause = error as NodeJS.ErrnoException;
      throw new UpdraftError('TASK_LOG_UNAVAILABLE', `The log ${this.path} could not be created: ${cause.message}`, {
        hint: 'Check that logging.base_log_folder is a folder this process can write to, on a disk with room',
        details: { path: this.path, cause: cause.code ?? null },
      });
    }
  }

  write(chunk: Buffer | string): boolean {
    if (chunk.length > 0) this.#atLineStart = typeof chunk === 'string' ? chunk.endsWith('\n') : chunk[chunk.length - 1] === 0x0a;
    if (this.#fd === null || this.#error !== null) return true;
    try {
      if (typeof chunk === 'string') writeSync(this.#fd, chunk);
      else writeSync(this.#fd, chunk);
    } catch (error) {
      this.#error = error as Error;
    }
    return true;
  }

  /** Synchronous writes never need to wait for a drain. */
  onDrain(_listener: () => void): () => void {
    return () => undefined;
  }

  /** Writes one supervisor line, `[<ISO time>] {updraft} <text>`, on a line of its own. */
  note(text: string): void {
    const prefix = this.#atLineStart ? '' : '\n';
    this.write(`${prefix}[${new Date().toISOString()}] {updraft} ${text}\n`);
  }

  /** Closes the file; throws the first write error (disk full...), if any. */
  async close(): Promise<void> {
    if (this.#fd !== null) {
      const fd = this.#fd;
      this.#fd = null;
      try {
        closeSync(fd);
      } catch (error) {
        this.#error ??= error as Error;
      }
    }
    if (this.#error !== null) throw this.#error;
  }
}
