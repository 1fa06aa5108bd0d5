import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { UpdraftError } from '../../contracts/errors.ts';
import type { OutputSink } from './marked-output.ts';

/**
 * The log file of one try, opened in append mode: the task's stdout/stderr stream into it, and
 * the supervisor adds its own timestamped lines (header, timeout, death, footer).
 */
export class TryLog implements OutputSink {
  readonly path: string;
  readonly #stream: WriteStream;
  /** Whether the last byte written ended a line, so supervisor lines never glue onto task output. */
  #atLineStart = true;
  /** A write failure (disk full...) is kept and thrown by close(), never swallowed. */
  #error: Error | null = null;

  private constructor(path: string, stream: WriteStream) {
    this.path = path;
    this.#stream = stream;
    stream.on('error', (error) => (this.#error ??= error));
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
    await mkdir(dirname(path), { recursive: true });
    const stream = createWriteStream(path, { flags: 'a' });
    await once(stream, 'open');
    return new TryLog(path, stream);
  }

  write(chunk: Buffer): boolean {
    if (chunk.length > 0) this.#atLineStart = chunk[chunk.length - 1] === 0x0a;
    return this.#stream.write(chunk);
  }

  onDrain(listener: () => void): () => void {
    this.#stream.once('drain', listener);
    return () => this.#stream.off('drain', listener);
  }

  /** Writes one supervisor line, `[<ISO time>] {updraft} <text>`, on a line of its own. */
  note(text: string): void {
    const prefix = this.#atLineStart ? '' : '\n';
    this.#stream.write(`${prefix}[${new Date().toISOString()}] {updraft} ${text}\n`);
    this.#atLineStart = true;
  }

  /** Flushes and closes the file; throws the first write error, if any. */
  async close(): Promise<void> {
    if (!this.#stream.closed) {
      const closed = once(this.#stream, 'close');
      this.#stream.end();
      await closed.catch(() => undefined); // the error itself is kept in #error
    }
    if (this.#error !== null) throw this.#error;
  }
}
