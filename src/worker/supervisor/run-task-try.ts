import { hostname as osHostname } from 'node:os';
import { serializeError, UpdraftError, type ErrorCode, type SerializedError } from '../../contracts/errors.ts';
import type { TaskInstanceState } from '../../contracts/states.ts';
import type { TaskExecutionApi, TaskOutcome } from '../../contracts/task-execution-api.ts';
import type { TaskWorkload } from '../../contracts/workload.ts';
import type { SupervisorEvent } from './events.ts';
import { failureOutcome } from './failure-outcome.ts';
import { superviseTry, type TryEnd } from './supervise-try.ts';
import { storeRenderedFields } from './task-api-bridge.ts';
import { describeExit } from './task-process.ts';
import type { TaskProcessPool } from './task-process-pool.ts';
import { isTaskOutcome } from './task-outcome.ts';
import { TryLog } from './try-log.ts';

const RENDERED_FIELDS_DELAY_MS = 1_000;

export interface RunTaskTryOptions {
  /** Root of task logs; the try's log is `<logsFolder>/<workload.logPath>`. */
  logsFolder: string;
  heartbeatIntervalMs: number;
  /** Between SIGTERM and SIGKILL; also how long to wait for output to drain after a try ends. */
  killGraceMs: number;
  /** Recorded on the task instance; default os.hostname(). */
  hostname?: string;
  /** See SuperviseTryOptions.renderedFieldsDelayMs; default 1 s. */
  renderedFieldsDelayMs?: number;
  onEvent?: (event: SupervisorEvent) => void;
}

/**
 * Runs one try of `workload` in a process from `pool` and records it through `api`: startTry,
 * log file, IPC, heartbeats, execution timeout, then finishTry. Returns the state the task instance
 * ended in. Throws what startTry throws (INVALID_STATE_TRANSITION: another worker has this try)
 * without running anything.
 */
export async function runTaskTry(
  workload: TaskWorkload,
  api: TaskExecutionApi,
  pool: TaskProcessPool,
  options: RunTaskTryOptions,
): Promise<TaskInstanceState> {
  const { key } = workload;
  const emit = options.onEvent ?? (() => undefined);
  const host = options.hostname ?? osHostname();
  // An idle process is taken in the caller's turn, and startTry submitted in it: a start that a
  // try-end follow-up brings about then joins that follow-up's transaction (ADR 0018).
  const taskProcess = pool.acquireIdle(workload.isolation) ?? (await pool.acquire(workload.isolation));
  const reusedProcess = taskProcess.tasksRun > 1;
  // A process whose try was refused ran nothing and goes back as it came; once a try starts, only
  // a clean end of supervision makes the process reusable.
  let healthy = true;
  let released = false;
  const release = (): void => {
    if (released) return;
    released = true;
    pool.release(taskProcess, { healthy });
  };
  try {
    const context = await api.startTry(key, { hostname: host, pid: taskProcess.pid });
    healthy = false;
    const startedAt = Date.now();
    const log = await placeLogOrFailTry(workload, api, options.logsFolder);
    try {
      const supervised = await superviseTry(taskProcess, workload, context, api, log, {
        heartbeatIntervalMs: options.heartbeatIntervalMs,
        killGraceMs: options.killGraceMs,
        onLogOpened: () => {
          log.note(
            `Starting try ${key.tryNumber} of ${key.dagId}.${key.taskId}` +
              `${key.mapIndex >= 0 ? `[${key.mapIndex}]` : ''} run_id=${key.runId} host=${host} pid=${taskProcess.pid}` +
              ` at ${new Date(startedAt).toISOString()}`,
          );
          emit({ type: 'try_started', key, pid: taskProcess.pid, reusedProcess });
        },
        onTimeout: (timeoutSeconds) => emit({ type: 'timeout', key, pid: taskProcess.pid, timeoutSeconds }),
        renderedFieldsDelayMs: options.renderedFieldsDelayMs ?? RENDERED_FIELDS_DELAY_MS,
      });
      // The process goes back to the pool once its output is all in the log, while the try is recorded.
      const returned = supervised.reusable.then((reusable) => {
        healthy = reusable;
        release();
      });
      if (supervised.end.kind === 'died') {
        const { exitCode, signal } = supervised.end.exit;
        emit({ type: 'process_died', pid: taskProcess.pid, key, exitCode, signal });
      }
      // The task reports its outcome before its last output (ADR 0022). With no other process idle,
      // this one goes back to the pool before the end is recorded, so that the start the end's
      // follow-up makes can take it and join the follow-up's transaction (ADR 0018).
      if (pool.stats().idle === 0) await returned;
      // Submitted in the same turn as the outcome, so both land in one group-commit transaction.
      const renderedStored =
        supervised.renderedFields === null ? Promise.resolve() : storeRenderedFields(api, key, supervised.renderedFields, (text) => log.note(text));
      const { state, outcome } = await recordOutcome(api, workload, outcomeOf(supervised.end, workload, new Date()), log);
      await renderedStored;
      await returned;
      // The outcome recorded is this error, as when the log's path is refused (placeLogOrFailTry).
      if (supervised.end.kind === 'log_failed') throw supervised.end.error;
      const durationMs = Date.now() - startedAt;
      log.note(`Try ${key.tryNumber} finished: state=${state} duration=${(durationMs / 1000).toFixed(3)}s`);
      emit({ type: 'try_finished', key, pid: taskProcess.pid, state, durationMs, errorCode: errorOf(outcome)?.code ?? null });
      return state;
    } finally {
      await log.close();
    }
  } finally {
    release();
  }
}

/**
 * The try is already `running` when its log is placed; if the log's path is refused the try is
 * recorded as failed (or up for retry) before the error is rethrown, so it does not hang in running.
 * (superviseTry opens the log, and treats a failure to open it the same way.)
 */
async function placeLogOrFailTry(workload: TaskWorkload, api: TaskExecutionApi, logsFolder: string): Promise<TryLog> {
  try {
    return TryLog.at(logsFolder, workload.logPath);
  } catch (error) {
    await api.finishTry(workload.key, failureOutcome(workload, serializeError(error), new Date()));
    throw error;
  }
}

/** XCom codes with which the store refuses a return value that it cannot keep. */
const UNSTORABLE_RETURN_VALUE: readonly ErrorCode[] = ['XCOM_TOO_LARGE', 'XCOM_NOT_JSON'];

/**
 * Records the try's outcome and returns the state and outcome recorded. The return value travels
 * with the success and the store refuses the success if it cannot keep the value; the try then
 * fails like a task whose own push failed (retries included), since its success was never recorded.
 */
async function recordOutcome(
  api: TaskExecutionApi,
  workload: TaskWorkload,
  outcome: TaskOutcome,
  log: TryLog,
): Promise<{ state: TaskInstanceState; outcome: TaskOutcome }> {
  try {
    return { state: await api.finishTry(workload.key, outcome), outcome };
  } catch (error) {
    if (!(error instanceof UpdraftError) || !UNSTORABLE_RETURN_VALUE.includes(error.code)) throw error;
    log.note(`The return value cannot be stored (${error.code}): ${error.message}`);
    const failure = failureOutcome(workload, serializeError(error), new Date());
    return { state: await api.finishTry(workload.key, failure), outcome: failure };
  }
}

/** Turns how the try ended into what is recorded. Failures the supervisor saw may be retried. */
function outcomeOf(end: TryEnd, workload: TaskWorkload, now: Date): TaskOutcome {
  switch (end.kind) {
    case 'done':
      return isTaskOutcome(end.outcome)
        ? end.outcome
        : failureOutcome(
            workload,
            serializeError(new UpdraftError('INTERNAL', 'The task process reported a malformed outcome', { details: { outcome: end.outcome } })),
            now,
          );
    case 'timeout':
      return failureOutcome(
        workload,
        serializeError(
          new UpdraftError('TASK_TIMEOUT', `Task exceeded its execution timeout of ${end.timeoutSeconds}s`, {
            hint: 'Raise executionTimeout on the task or make it faster',
            details: { timeoutSeconds: end.timeoutSeconds, ...end.exit },
          }),
        ),
        now,
      );
    case 'log_failed':
      return failureOutcome(workload, serializeError(end.error), now);
    case 'died':
      return failureOutcome(
        workload,
        serializeError(
          new UpdraftError('TASK_PROCESS_DIED', `The task process exited without reporting a result (${describeExit(end.exit)})`, {
            hint: 'SIGKILL often means the task ran out of memory; see the end of the task log',
            details: { ...end.exit },
          }),
        ),
        now,
      );
  }
}

function errorOf(outcome: TaskOutcome): SerializedError | null {
  return outcome.state === 'failed' || outcome.state === 'up_for_retry' ? outcome.error : null;
}
