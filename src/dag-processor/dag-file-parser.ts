import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CHILD_NODE_FLAGS } from '../contracts/child-node-flags.ts';
import { UpdraftError, serializeError } from '../contracts/errors.ts';
import type { FileParseResult, ParseProcessMessage, ParseRequest } from './parse-protocol.ts';

const PARSE_PROCESS = fileURLToPath(new URL('./parse-process.ts', import.meta.url));
/** Module caches grow with every re-import; a fresh process every so often keeps memory flat. */
const RECYCLE_AFTER_FILES = 500;
const STDERR_TAIL_BYTES = 4096;

export interface DagFileParserOptions {
  /** Seconds one file may take to import (core.dag_import_timeout). */
  timeoutSeconds: number;
  /** Parse processes working side by side. */
  concurrency?: number;
}

/**
 * Imports DAG files in isolated child processes, one file at a time per process, each under a
 * timeout. A file that throws, hangs or kills its process becomes a failed result; the parser and
 * the other files carry on. Processes are kept warm between calls so that re-parsing a changed file
 * costs an import, not a process start.
 */
export class DagFileParser {
  readonly #options: Required<DagFileParserOptions>;
  readonly #idle: ParseWorker[] = [];
  /** Workers importing a file right now: close() stops them too, so a hanging file cannot delay shutdown. */
  readonly #busy = new Set<ParseWorker>();
  #closed = false;

  constructor(options: DagFileParserOptions) {
    this.#options = { concurrency: 1, ...options };
  }

  /** Parses `files` (cacheBust per file: e.g. its mtime) and returns one result per file, in order. */
  async parse(files: { file: string; cacheBust: string }[]): Promise<FileParseResult[]> {
    const results: FileParseResult[] = new Array(files.length);
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < files.length && !this.#closed) {
        const index = next++;
        const request = files[index]!;
        results[index] = await this.#parseOne(request.file, request.cacheBust);
      }
    };
    const lanes = Math.max(1, Math.min(this.#options.concurrency, files.length));
    await Promise.all(Array.from({ length: lanes }, lane));
    return results;
  }

  /**
   * Stops every parse process, busy ones included. A parse() still running then returns early:
   * files it had not started have no result, and the file being imported fails.
   */
  async close(): Promise<void> {
    this.#closed = true;
    for (const worker of [...this.#idle.splice(0), ...this.#busy]) worker.stop();
  }

  async #parseOne(file: string, cacheBust: string): Promise<FileParseResult> {
    const worker = this.#idle.pop() ?? (await ParseWorker.start());
    this.#busy.add(worker);
    // close() ran while this process was starting: it must not start a (possibly endless) import.
    if (this.#closed) worker.stop();
    try {
      return await worker.parse({ type: 'parse', file, cacheBust }, this.#options.timeoutSeconds * 1000);
    } finally {
      this.#busy.delete(worker);
      if (worker.alive && worker.parsed < RECYCLE_AFTER_FILES && !this.#closed) this.#idle.push(worker);
      else worker.stop();
    }
  }
}

/** One parse process and the bookkeeping to time out or survive the file it is importing. */
class ParseWorker {
  readonly #child: ChildProcess;
  #stderrTail = '';
  parsed = 0;
  alive = true;

  private constructor(child: ChildProcess) {
    this.#child = child;
    child.stderr?.on('data', (chunk: Buffer) => {
      this.#stderrTail = (this.#stderrTail + chunk.toString('utf8')).slice(-STDERR_TAIL_BYTES);
    });
    child.once('exit', () => {
      this.alive = false;
    });
  }

  static start(): Promise<ParseWorker> {
    const child = fork(PARSE_PROCESS, [], {
      execPath: process.execPath,
      execArgv: ['--no-warnings', ...CHILD_NODE_FLAGS],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'advanced',
    });
    const worker = new ParseWorker(child);
    return new Promise((resolve, reject) => {
      child.once('message', (message: ParseProcessMessage) => (message.type === 'ready' ? resolve(worker) : reject(new Error('parse process did not start'))));
      child.once('exit', (code) => reject(new UpdraftError('INTERNAL', `The DAG parse process exited at start (code ${code}): ${worker.#stderrTail}`)));
    });
  }

  parse(request: ParseRequest, timeoutMs: number): Promise<FileParseResult> {
    this.parsed += 1;
    this.#stderrTail = '';
    const started = performance.now();
    const failed = (error: UpdraftError): FileParseResult => ({
      file: request.file,
      ok: false,
      error: serializeError(error),
      sourceCode: '',
      durationMs: performance.now() - started,
    });
    if (!this.alive) return Promise.resolve(failed(new UpdraftError('DAG_IMPORT_FAILED', `${request.file}: the parse process was stopped before the import`)));
    return new Promise((resolve) => {
      const onMessage = (message: ParseProcessMessage): void => {
        if (message.type !== 'parsed' || message.result.file !== request.file) return;
        cleanup();
        resolve(message.result);
      };
      const onExit = (code: number | null, signal: string | null): void => {
        cleanup();
        resolve(
          failed(
            new UpdraftError('DAG_IMPORT_FAILED', `${request.file}: importing the file ended its process (${signal ?? `exit code ${code}`})${this.#stderrTail ? `: ${this.#stderrTail.trim()}` : ''}`, {
              hint: 'Do not call process.exit() or crash the process at import time',
              details: { file: request.file },
            }),
          ),
        );
      };
      const timer = setTimeout(() => {
        cleanup();
        this.stop();
        resolve(
          failed(
            new UpdraftError('DAG_IMPORT_TIMEOUT', `${request.file}: import took longer than ${timeoutMs / 1000}s and was stopped`, {
              hint: 'Move slow work (network, large computations) out of top-level DAG code, or raise core.dag_import_timeout',
              details: { file: request.file, timeoutSeconds: timeoutMs / 1000 },
            }),
          ),
        );
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.#child.off('message', onMessage);
        this.#child.off('exit', onExit);
      };
      this.#child.on('message', onMessage);
      this.#child.once('exit', onExit);
      this.#child.send(request);
    });
  }

  stop(): void {
    this.alive = false;
    if (this.#child.exitCode === null && this.#child.signalCode === null) this.#child.kill('SIGKILL');
  }
}
