import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { UpdraftError } from '../../contracts/errors.ts';
import { BaseOperator } from '../base-operator.ts';
import { invalidOption } from '../option-errors.ts';
import type { TaskContext } from '../task-context.ts';
import { taskLog } from '../task-log.ts';
import type { TaskOptions } from '../task-options.ts';
import { SkipError } from '../task-signals.ts';

export interface BashOperatorOptions extends TaskOptions {
  /** A command, a script, or a path ending in `.sh`/`.bash` read from the DAG folder as a template. */
  bashCommand: string;
  /** Environment of the command. Replaces the task process's environment unless `appendEnv`. */
  env?: Record<string, string>;
  appendEnv?: boolean;
  /** Working directory; default a fresh temporary directory removed afterwards. */
  cwd?: string;
  outputEncoding?: BufferEncoding;
  /** Exit code(s) that end the task as skipped. Default 99; null for none. */
  skipOnExitCode?: number | number[] | null;
}

/**
 * Runs a command with `bash -c` (Airflow's BashOperator). Output is streamed line by line to the
 * task log; the last stdout line is the return value (XCom). Exit code 99 skips the task, any
 * other non-zero code fails it.
 */
export class BashOperator extends BaseOperator<BashOperatorOptions> {
  static override templateFields: readonly string[] = ['bashCommand', 'env', 'cwd'];
  static override templateExt: readonly string[] = ['.sh', '.bash'];
  static override uiColor = '#f0ede4';

  bashCommand: string;
  env: Record<string, string> | undefined;
  cwd: string | undefined;
  readonly appendEnv: boolean;
  readonly outputEncoding: BufferEncoding;
  readonly skipOnExitCode: readonly number[];

  constructor(options: BashOperatorOptions) {
    super(options);
    const site = { dagId: this.dagId, taskId: this.taskId };
    if (typeof options.bashCommand !== 'string' || options.bashCommand.trim() === '') {
      throw invalidOption(site, 'option "bashCommand" must be a non-empty string', "new BashOperator({ taskId: 'hello', bashCommand: 'echo hello' })");
    }
    if (options.env !== undefined && (typeof options.env !== 'object' || options.env === null)) {
      throw invalidOption(site, 'option "env" must be an object of strings', "env: { NAME: 'value' }");
    }
    this.bashCommand = options.bashCommand;
    this.env = options.env;
    this.cwd = options.cwd;
    this.appendEnv = options.appendEnv ?? false;
    this.outputEncoding = options.outputEncoding ?? 'utf8';
    const skip = options.skipOnExitCode === undefined ? [99] : options.skipOnExitCode === null ? [] : [options.skipOnExitCode].flat();
    this.skipOnExitCode = skip;
  }

  async execute(context: TaskContext): Promise<string | undefined> {
    const workDir = this.cwd ?? (await mkdtemp(join(tmpdir(), 'updraft-bash-')));
    try {
      taskLog.info(`Running command: ['bash', '-c', ${JSON.stringify(this.bashCommand)}]`);
      const { code, signal, lastLine } = await this.run(workDir, this.environment(context));
      taskLog.info(`Command exited with return code ${code ?? signal}`);
      if (code !== null && this.skipOnExitCode.includes(code)) throw new SkipError(`Bash command returned exit code ${code}. Skipping.`);
      if (code !== 0) {
        throw new UpdraftError('TASK_FAILED', `Bash command failed. The command returned ${code === null ? `no exit code (killed by ${signal})` : `a non-zero exit code ${code}`}.`, {
          hint: 'Read the command output above in the task log',
          details: { exitCode: code, signal },
        });
      }
      return lastLine;
    } finally {
      if (this.cwd === undefined) await rm(workDir, { recursive: true, force: true });
    }
  }

  /** Airflow sets context variables in the command's environment; ours are `UPDRAFT_CTX_*`. */
  private environment(context: TaskContext): NodeJS.ProcessEnv {
    const base = this.env === undefined ? { ...process.env } : this.appendEnv ? { ...process.env, ...this.env } : { ...this.env };
    return {
      ...base,
      UPDRAFT_CTX_DAG_ID: context.dag_run.dag_id,
      UPDRAFT_CTX_TASK_ID: this.taskId,
      UPDRAFT_CTX_RUN_ID: context.run_id,
      UPDRAFT_CTX_LOGICAL_DATE: context.ts,
      UPDRAFT_CTX_TRY_NUMBER: String(context.ti.tryNumber),
    };
  }

  private run(cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; signal: NodeJS.Signals | null; lastLine: string | undefined }> {
    return new Promise((resolve, reject) => {
      const child = spawn('bash', ['-c', this.bashCommand], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let lastLine: string | undefined;
      const forward = (stream: Readable, target: NodeJS.WriteStream, onLine?: (line: string) => void): Promise<void> => {
        stream.setEncoding(this.outputEncoding);
        const lines = createInterface({ input: stream, crlfDelay: Infinity });
        lines.on('line', (text) => {
          target.write(`${text}\n`);
          onLine?.(text);
        });
        return new Promise((done) => lines.once('close', done));
      };
      const outputs = Promise.all([forward(child.stdout, process.stdout, (text) => (lastLine = text)), forward(child.stderr, process.stderr)]);
      child.once('error', reject);
      child.once('close', (code, signal) => {
        void outputs.then(() => resolve({ code, signal, lastLine }));
      });
    });
  }
}
