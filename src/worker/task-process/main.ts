/**
 * The task process: the only place a task's user code runs. A supervisor starts it with an IPC
 * channel (`process.execPath src/worker/task-process/main.ts`), sends `run` messages one at a
 * time and answers its `api_request`s (src/contracts/task-ipc.ts). It stays alive between tries
 * (a warm pool) until `shutdown`, and leaves at once if the supervisor goes away.
 */
import type { SupervisorToTask, TaskToSupervisor } from '../../contracts/task-ipc.ts';
import { resolveUpdraftToThisSdk } from '../../sdk/resolve-updraft.ts';
import { taskLog } from '../../sdk/task-log.ts';
import { runTask } from './run-task.ts';
import { SupervisorChannel, tryApi } from './supervisor-channel.ts';

type RunMessage = Extract<SupervisorToTask, { type: 'run' }>;

resolveUpdraftToThisSdk();

const send = process.send?.bind(process);
if (send === undefined) {
  process.stderr.write('The task process must be started by a supervisor with an IPC channel\n');
  process.exit(2);
}

const channel = new SupervisorChannel((message: TaskToSupervisor) => send(message));
/** Tries run one after another even if a second `run` arrives early. */
let queue: Promise<void> = Promise.resolve();

async function handleRun(message: RunMessage): Promise<void> {
  const { workload } = message;
  const { outcome, writeClosingLines } = await runTask(workload, message.context, tryApi(channel, workload.key));
  // The outcome goes first: the supervisor wakes on it and reads it before the output, so the try's
  // end is recorded (and what it unblocks started) while the closing lines and markers are still
  // being read. The supervisor keeps this try's log open, and this process out of the pool, until
  // both markers have arrived (ADR 0022).
  channel.notify({ type: 'done', outcome });
  // The closing lines and the marker leave in one write: each write to a pipe is a system call
  // here and a wake-up of the supervisor, and a short try has nothing else to say.
  process.stdout.cork();
  writeClosingLines();
  // The supervisor reads output until this marker, so nothing of this try lands in the next log.
  const marker = `\u0000UPDRAFT-END ${JSON.stringify(workload.key)}\n`;
  const written = Promise.all([write(process.stdout, marker), write(process.stderr, marker)]);
  process.stdout.uncork();
  await written;
}

function write(stream: NodeJS.WriteStream, text: string): Promise<void> {
  return new Promise((resolve) => stream.write(text, () => resolve()));
}

process.on('message', (raw: unknown) => {
  if (typeof raw !== 'object' || raw === null) return;
  const message = raw as SupervisorToTask;
  switch (message.type) {
    case 'run':
      queue = queue.then(() => handleRun(message));
      break;
    case 'api_response':
      channel.settle(message);
      break;
    case 'shutdown':
      process.exit(0);
  }
});

// Without its supervisor nobody records results or reads output: stop now.
process.on('disconnect', () => process.exit(1));

// A promise a task forgot to await must not take the warm process (and later tries) down.
process.on('unhandledRejection', (reason) => taskLog.error('Unhandled promise rejection in task code', reason));

channel.notify({ type: 'ready', pid: process.pid });
