import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { CHILD_NODE_FLAGS } from '../../contracts/child-node-flags.ts';
import { UpdraftError } from '../../contracts/errors.ts';
import type { SupervisorToTask, TaskToSupervisor } from '../../contracts/task-ipc.ts';
import { MarkedOutput } from './marked-output.ts';
import { signalGroup, terminateGroup } from './process-group.ts';

export interface TaskProcessExit {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
}

export interface SpawnTaskProcessOptions {
  entry: string;
  env: NodeJS.ProcessEnv;
  readyTimeoutMs: number;
  /** Output written while no try owns the process's streams. */
  onStray: (pid: number, stream: 'stdout' | 'stderr', chunk: Buffer) => void;
}

/** Kept from stderr during startup so that a process that dies before `ready` explains why. */
const STARTUP_STDERR_LIMIT = 4096;

/**
 * One task process: a Node child leading its own process group, with an IPC channel and its
 * stdout/stderr read for its whole life. It knows nothing about pools or tries.
 */
export class TaskProcess {
  readonly pid: number;
  readonly stdout: MarkedOutput;
  readonly stderr: MarkedOutput;
  /** Resolves when the process has exited (never rejects). */
  readonly exited: Promise<TaskProcessExit>;
  /** Tries this process has finished; the pool uses it for recycling. */
  tasksRun = 0;
  readonly #child: ChildProcess;
  #exit: TaskProcessExit | null = null;

  private constructor(child: ChildProcess, pid: number, onStray: (stream: 'stdout' | 'stderr', chunk: Buffer) => void) {
    this.#child = child;
    this.pid = pid;
    this.exited = new Promise((resolve) => {
      child.once('exit', (exitCode, signal) => {
        this.#exit = { exitCode, signal };
        resolve(this.#exit);
      });
    });
    // Send failures also reach send()'s callback; exits and closed channels are handled through
    // `exited` and onDisconnect(), so this listener only keeps 'error' from being unhandled.
    child.on('error', () => undefined);
    this.stdout = new MarkedOutput(child.stdout!, (chunk) => onStray('stdout', chunk));
    this.stderr = new MarkedOutput(child.stderr!, (chunk) => onStray('stderr', chunk));
  }

  /**
   * Spawns `node <entry>` in a new process group and resolves once it says `ready`. Rejects with
   * TASK_PROCESS_DIED when it exits or stays silent past `readyTimeoutMs` (it is then killed).
   */
  static async spawn(options: SpawnTaskProcessOptions): Promise<TaskProcess> {
    let startupStderr = '';
    let ready = false;
    const child = spawn(process.execPath, [...CHILD_NODE_FLAGS, options.entry], {
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      detached: true,
      env: options.env,
    });
    if (child.pid === undefined) {
      const error = await new Promise<Error>((resolve) => child.once('error', resolve));
      throw new UpdraftError('TASK_PROCESS_DIED', `Could not start a task process: ${error.message}`, { cause: error });
    }
    const pid = child.pid;
    const taskProcess = new TaskProcess(child, pid, (stream, chunk) => {
      if (!ready && stream === 'stderr' && startupStderr.length < STARTUP_STDERR_LIMIT) startupStderr += chunk.toString();
      options.onStray(pid, stream, chunk);
    });

    const readyMessage = new Promise<void>((resolve) => {
      const stop = taskProcess.onMessage((message) => {
        if (message.type !== 'ready') return;
        stop();
        resolve();
      });
    });
    const outcome = await Promise.race([
      readyMessage.then(() => 'ready' as const),
      taskProcess.exited.then(() => 'exited' as const),
      sleep(options.readyTimeoutMs, 'timeout' as const, { ref: false }),
    ]);
    if (outcome === 'ready') {
      ready = true;
      return taskProcess;
    }
    if (outcome === 'timeout') await taskProcess.terminate(0);
    const exit = await taskProcess.exited;
    throw new UpdraftError(
      'TASK_PROCESS_DIED',
      outcome === 'timeout'
        ? `Task process ${taskProcess.pid} did not report ready within ${options.readyTimeoutMs} ms`
        : `Task process ${taskProcess.pid} exited before it was ready (${describeExit(exit)})`,
      {
        hint: `Check that ${options.entry} starts and sends {type:'ready'} over IPC`,
        details: { entry: options.entry, ...exit, stderr: startupStderr.slice(0, STARTUP_STDERR_LIMIT) },
      },
    );
  }

  /** True until the process exits or closes its IPC channel. */
  get alive(): boolean {
    return this.#exit === null && this.#child.connected;
  }

  /** Sends a message; false when the channel is already closed (the caller will see the exit). */
  send(message: SupervisorToTask): boolean {
    if (!this.#child.connected) return false;
    // A message lost on a channel that is closing shows up as the exit/disconnect that follows;
    // the callback only stops Node from raising the failure as an 'error' event as well.
    this.#child.send(message, () => undefined);
    return true;
  }

  /** Listens to well-formed messages; user code calling process.send() cannot confuse us. */
  onMessage(listener: (message: TaskToSupervisor) => void): () => void {
    const filtered = (message: unknown): void => {
      if (isTaskMessage(message)) listener(message);
    };
    this.#child.on('message', filtered);
    return () => this.#child.off('message', filtered);
  }

  /** Calls `listener` once when the IPC channel closes (the process may still be running). */
  onDisconnect(listener: () => void): () => void {
    if (!this.#child.connected) {
      queueMicrotask(listener);
      return () => undefined;
    }
    this.#child.once('disconnect', listener);
    return () => this.#child.off('disconnect', listener);
  }

  /** True once the process has exited (its group may still hold processes it started). */
  get hasExited(): boolean {
    return this.#exit !== null;
  }

  /** Calls `listener` once when the process exits (at once if it already has). */
  onExit(listener: () => void): () => void {
    if (this.#exit !== null) {
      queueMicrotask(listener);
      return () => undefined;
    }
    this.#child.once('exit', listener);
    return () => this.#child.off('exit', listener);
  }

  /** SIGTERM the process group, SIGKILL it after `graceMs`, and wait for the process to exit. */
  async terminate(graceMs: number): Promise<TaskProcessExit> {
    await terminateGroup(this.pid, graceMs);
    const exit = await this.exited;
    // The leader can exit on SIGTERM while a grandchild ignores it; nothing of the group may outlive it.
    signalGroup(this.pid, 'SIGKILL');
    return exit;
  }

  /** Asks the process to exit (`shutdown`), and terminates it if it has not within `graceMs`. */
  async shutdown(graceMs: number): Promise<TaskProcessExit> {
    if (this.#exit === null && this.send({ type: 'shutdown' })) {
      const exitedInTime = await Promise.race([this.exited.then(() => true), sleep(graceMs, false, { ref: false })]);
      if (exitedInTime) {
        signalGroup(this.pid, 'SIGKILL'); // stragglers a task left running in the group
        return this.#exit ?? (await this.exited);
      }
    }
    return this.terminate(graceMs);
  }
}

function isTaskMessage(value: unknown): value is TaskToSupervisor {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

export function describeExit(exit: TaskProcessExit): string {
  return exit.signal === null ? `exit code ${exit.exitCode ?? 'unknown'}` : `signal ${exit.signal}`;
}
