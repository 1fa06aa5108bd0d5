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
 */
export class TryLog implements OutputSink {
  readonly path: string;
  #fd: number | null;
  /** Whether the last byte written ended a line, so supervisor lines never glue onto task output. */
  #atLineStart = true;
  /** A write failure (disk full...) is kept and thrown by close(), never swallowed. */
  #error: Error | null = null;

  private constructor(path: string, fd: number) {
    this.path = path;
    this.#fd = fd;
  }

  /** Opens `<logsFolder>/<logPath>`, creating folders; refuses paths that leave the logs folder. */
  static async open(logsFolder: string, logPath: string): Promise<TryLog> {
    const root = resolve(logsFolder);
    const path = resolve(root, logPath);
    const inside = relative(root, path);
    if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) {
      throw new UpdraftError('INVALID_ARGUMENT', `Log path ${logPath} is outside the logs folder ${root}`, {
        hint: 'Build log paths with taskLogPath() from src/contracts/log-path.ts',
        details: { logPath, logsFolder: root },
      });
    }
    mkdirSync(dirname(path), { recursive: true });
    return new TryLog(path, openSync(path, 'a'));
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
