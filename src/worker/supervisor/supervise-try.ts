import type { JsonValue } from '../../contracts/json.ts';
import type { TaskExecutionApi, TaskOutcome } from '../../contracts/task-execution-api.ts';
import type { TaskRunContextData } from '../../contracts/task-instance.ts';
import type { TaskToSupervisor } from '../../contracts/task-ipc.ts';
import type { TaskWorkload } from '../../contracts/workload.ts';
import type { CaptureEnd, OutputCapture } from './marked-output.ts';
import { answerApiRequest, renderedFieldsOf, storeRenderedFields } from './task-api-bridge.ts';
import { describeExit, type TaskProcess, type TaskProcessExit } from './task-process.ts';
import type { TryLog } from './try-log.ts';

/** How a supervised try ended, before anything is recorded. */
export type TryEnd =
  | { kind: 'done'; outcome: TaskOutcome }
  | { kind: 'timeout'; timeoutSeconds: number; exit: TaskProcessExit }
  | { kind: 'died'; exit: TaskProcessExit }
  /** The log could not be opened once the task was sent on its way: the process was terminated. */
  | { kind: 'log_failed'; error: unknown };

export interface SupervisedTry {
  end: TryEnd;
  /**
   * Settles once the try's output is all in its log (both end markers read, the streams closed, or
   * the wait ran out): false when the process must not run another try (it is gone, or its output
   * lost track). A task process sends `done` right after its markers, so they are usually in by
   * the time the outcome is recorded; output a task leaves running may still arrive later.
   */
  reusable: Promise<boolean>;
  /** Rendered fields the task sent that are not stored yet: the caller stores them with the outcome. */
  renderedFields: Record<string, JsonValue> | null;
}

export interface SuperviseTryOptions {
  /** Called once the log is open, before any output of the task is read: the place for header lines. */
  onLogOpened: () => void;
  heartbeatIntervalMs: number;
  killGraceMs: number;
  /** Called when the execution timeout fires, before the process group is terminated. */
  onTimeout: (timeoutSeconds: number) => void;
  /**
   * Rendered fields of a try still running this long after it sent them are stored at once, so the
   * UI shows them during the run; a shorter try's are stored with its outcome, in the same commit.
   */
  renderedFieldsDelayMs: number;
}

const MAX_TIMER_MS = 2 ** 31 - 1;

type Race = { kind: 'done'; outcome: TaskOutcome } | { kind: 'timeout'; timeoutSeconds: number } | { kind: 'lost' } | { kind: 'log_failed'; error: unknown };

/**
 * Runs one try on a ready process and waits for it to end: `done` from the task, the execution
 * timeout, or the process exiting / closing its channel. Meanwhile it streams output into `log`,
 * serves `api_request`s and heartbeats, and keeps the fields of `rendered` messages (stored after
 * renderedFieldsDelayMs, or returned for the caller to store with the outcome). Every timer,
 * listener and in-flight call is settled before it returns, so nothing from this try can touch the
 * store or the log after finishTry.
 */
export async function superviseTry(
  taskProcess: TaskProcess,
  workload: TaskWorkload,
  context: TaskRunContextData,
  api: TaskExecutionApi,
  log: TryLog,
  options: SuperviseTryOptions,
): Promise<SupervisedTry> {
  const { key } = workload;
  // The task goes on its way first, so that the task process wakes up while the rest is set up:
  // everything down to `await raced` is synchronous, so none of its messages or output is handled
  // before the listeners, the log and the timers are in place.
  taskProcess.send({ type: 'run', workload, context, logFile: log.path });
  const captures = [taskProcess.stdout.capture(log), taskProcess.stderr.capture(log)];
  const inFlight = new Set<Promise<unknown>>();
  let settled = false;
  let settle!: (race: Race) => void;
  const raced = new Promise<Race>((resolve) => {
    settle = (race) => {
      if (settled) return;
      settled = true;
      resolve(race);
    };
  });
  const track = (work: Promise<unknown>): void => {
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
  };

  let pendingRendered: Record<string, JsonValue> | null = null;
  let renderedTimer: NodeJS.Timeout | undefined;
  // Stored while the try still runs, once it has run renderedFieldsDelayMs since sending them.
  function storePendingRendered(): void {
    if (pendingRendered === null || settled) return;
    track(storeRenderedFields(api, key, pendingRendered, (text) => log.note(text)));
    pendingRendered = null;
  }
  const stopMessages = taskProcess.onMessage((message: TaskToSupervisor) => {
    if (settled) return;
    if (message.type === 'done') settle({ kind: 'done', outcome: message.outcome });
    else if (message.type === 'api_request') {
      track(
        answerApiRequest(api, key, message).then((response) => {
          if (!settled) taskProcess.send(response);
        }),
      );
    } else if (message.type === 'rendered') {
      const fields = renderedFieldsOf(message, (text) => log.note(text));
      if (fields === null) return;
      pendingRendered = fields;
      renderedTimer ??= setTimeout(storePendingRendered, options.renderedFieldsDelayMs);
    }
  });
  const stopDisconnect = taskProcess.onDisconnect(() => settle({ kind: 'lost' }));
  // The channel normally closes with the process, after its last messages; should a descendant keep
  // it open, the exit still ends the try once those messages had their chance to arrive.
  let exitTimer: NodeJS.Timeout | undefined;
  const stopExit = taskProcess.onExit(() => {
    exitTimer = setTimeout(() => settle({ kind: 'lost' }), options.killGraceMs);
  });

  const timeoutSeconds = workload.executionTimeoutSeconds;
  // Node fires timers above 2^31-1 ms (~24.8 days) at once; such timeouts are treated as none.
  const timeoutTimer =
    timeoutSeconds === null || timeoutSeconds * 1000 > MAX_TIMER_MS
      ? undefined
      : setTimeout(() => settle({ kind: 'timeout', timeoutSeconds }), timeoutSeconds * 1000);

  let heartbeatTimer: NodeJS.Timeout | undefined;
  const scheduleHeartbeat = (): void => {
    heartbeatTimer = setTimeout(() => {
      track(
        // Through a promise so that an api that throws synchronously is handled the same way.
        Promise.resolve(key).then((tryKey) => api.heartbeat(tryKey)).then(
          () => undefined,
          (error: unknown) => log.note(`Heartbeat failed: ${error instanceof Error ? error.message : String(error)}`),
        ),
      );
      if (!settled) scheduleHeartbeat();
    }, options.heartbeatIntervalMs);
  };
  scheduleHeartbeat();

  // Opened once the task is on its way (see TryLog).
  try {
    log.open();
  } catch (error) {
    settle({ kind: 'log_failed', error });
  }
  if (!settled) options.onLogOpened();
  const race = await raced;

  clearTimeout(timeoutTimer);
  clearTimeout(heartbeatTimer);
  clearTimeout(exitTimer);
  clearTimeout(renderedTimer);
  const renderedFields = pendingRendered;
  stopDisconnect();
  stopExit();
  await Promise.all(inFlight); // a late pushXCom or heartbeat must land before finishTry
  stopMessages();

  switch (race.kind) {
    case 'done': {
      const reusable = waitForCaptures(taskProcess, captures, options.killGraceMs).then((ends) => {
        const outputComplete = ends.every((end) => end === 'marker');
        if (!outputComplete) log.note('The task process did not mark the end of its output; it will not be reused');
        return outputComplete && taskProcess.alive;
      });
      return { end: race, reusable, renderedFields };
    }
    case 'timeout': {
      options.onTimeout(race.timeoutSeconds);
      log.note(`Task exceeded its execution timeout of ${race.timeoutSeconds}s; terminating its process group`);
      const exit = await taskProcess.terminate(options.killGraceMs);
      await waitForCaptures(taskProcess, captures, options.killGraceMs);
      return { end: { kind: 'timeout', timeoutSeconds: race.timeoutSeconds, exit }, reusable: Promise.resolve(false), renderedFields };
    }
    case 'lost': {
      const exit = await taskProcess.terminate(options.killGraceMs);
      await waitForCaptures(taskProcess, captures, options.killGraceMs);
      log.note(`Task process ${taskProcess.pid} exited without reporting a result (${describeExit(exit)})`);
      return { end: { kind: 'died', exit }, reusable: Promise.resolve(false), renderedFields };
    }
    case 'log_failed': {
      await taskProcess.terminate(options.killGraceMs);
      await waitForCaptures(taskProcess, captures, options.killGraceMs);
      return { end: race, reusable: Promise.resolve(false), renderedFields };
    }
  }
}

/**
 * Waits until both streams have passed their end marker (or closed), at most `boundMs`; streams
 * still open then are detached so that later bytes cannot reach this try's log.
 */
async function waitForCaptures(taskProcess: TaskProcess, captures: OutputCapture[], boundMs: number): Promise<CaptureEnd[]> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<CaptureEnd>((resolve) => (timer = setTimeout(resolve, boundMs, 'detached')));
  const ends = await Promise.all(captures.map((capture) => Promise.race([capture.finished, bound])));
  clearTimeout(timer);
  taskProcess.stdout.detach();
  taskProcess.stderr.detach();
  return ends;
}
