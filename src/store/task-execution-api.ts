import type { Transaction } from 'kysely';
import type { ConnectionData } from '../contracts/connection.ts';
import { UpdraftError } from '../contracts/errors.ts';
import type { JsonValue } from '../contracts/json.ts';
import { taskLogPath } from '../contracts/log-path.ts';
import type { TaskInstanceState } from '../contracts/states.ts';
import type { TaskExecutionApi, TaskOutcome, XComQuery } from '../contracts/task-execution-api.ts';
import type { TaskInstanceKey, TaskRunContextData, TaskTryKey } from '../contracts/task-instance.ts';
import { encodeXComValue } from '../contracts/xcom-value.ts';
import { GroupCommit } from './group-commit.ts';
import { SameTurnBatch, type Settled } from './same-turn-batch.ts';
import { getConnection } from './queries/connections.ts';
import { endRunningTries, startQueuedTries, type StartedTry, type TryEndItem, type TryStartItem } from './queries/postgres-try-batches.ts';
import { getTaskInstance, recordTaskHeartbeat, setTaskInstanceState, skipTaskInstances, type TaskInstance } from './queries/task-instances.ts';
import { endTriesAsTheirTis, getTryStatus, insertTries, recordReschedule, setTryRenderedFields, updateTry, type TryEnd, type TryStart } from './queries/task-tries.ts';
import { endRunningTry, startQueuedTry } from './queries/try-transitions.ts';
import { getVariable } from './queries/variables.ts';
import { getXCom, setXCom } from './queries/xcom.ts';
import type { Database } from './schema.ts';
import type { Store } from './store.ts';
import { buildTaskRunContext, readRunOfTry } from './task-run-context.ts';
import type { BatchWrite, UnitBatch } from './unit-batch.ts';

export interface StoreTaskExecutionApiOptions {
  /** core.xcom_max_size_bytes. */
  xcomMaxBytes: number;
  /** The clock; tests pass a fixed one. */
  now?: () => number;
  /** Work the ends of tries unlock, in the transaction that records them. Not on Postgres (see TryEndsFollowUp). */
  followUpEnds?: TryEndsFollowUp;
  /**
   * Whether few tries are in flight on this host, so that a try's start or end is written as soon
   * as it is submitted rather than batched with the rest of its event-loop turn (SameTurnBatchOptions.atOnce).
   * Default: never, every write waits for the end of its turn.
   */
  fewTriesInFlight?: () => boolean;
}

/**
 * Work that the ends of tries unlock, done in the group-commit transaction that records them, after
 * them: the scheduler of this process decides their runs and queues what became ready, without a
 * transaction and a wake-up of its own (ADR 0017). Returns null, or what is left to do: hand the
 * queued tries over while the transaction is still open, so that the starts their executors make
 * at once join it (ADR 0018), and report once it has committed. None of the three may throw, and
 * the follow-up must leave the transaction as it found it when its own work fails (inSavepoint).
 * Postgres records the usual ends in batched statements outside any transaction, so there is
 * nothing to join there.
 */
export type TryEndsFollowUp = (trx: Transaction<Database>, ended: TaskTryKey[]) => Promise<FollowedUpEnds | null>;

export interface FollowedUpEnds {
  /** Runs in the transaction, after the follow-up: the tries' starts submitted before its first await join it. */
  handOver: () => Promise<void>;
  /** Runs once the transaction has committed, before the ends and the joined starts settle. */
  afterCommit: () => void;
}

/** The rows of starting tries and the ends of try rows, each written once per group-commit batch. */
const TRY_ROWS: BatchWrite<TryStart> = { run: insertTries };
const TRY_ENDS: BatchWrite<TryEnd> = { run: endTriesAsTheirTis };

/**
 * A try starts only from `queued`: whoever runs a task (scheduler, `dags test`) queues it first.
 * That is what makes a reset safe: once the scheduler moves a stuck `queued` TI back to `scheduled`,
 * a workload for it that is still on its way can no longer start.
 */
const STARTABLE: readonly TaskInstanceState[] = ['queued'];

/** See usualStarts: one batch on its way at a time; a batch that fails runs again try by try. */
const POSTGRES_BATCHES = { maxInFlight: 1, retryAlone: true };

/**
 * The TaskExecutionApi of trusted hosts: the supervisor writes the try's lifecycle straight to the
 * store. Start and finish are compare-and-set transactions on the task instance, so a try runs at
 * most once and only the try that runs may finish it. The writes of all tries on this host go
 * through one group commit; reads go straight to the store.
 */
export function createStoreTaskExecutionApi(store: Store, options: StoreTaskExecutionApiOptions): TaskExecutionApi {
  const now = options.now ?? Date.now;
  const { db, secrets } = store;
  const atOnce = options.fewTriesInFlight ?? (() => false);
  const writes = new GroupCommit(db, { atOnce });
  // Postgres: the usual starts and ends of the tries that report in one turn, each kind in one
  // statement without a transaction around it (postgres-try-batches.ts). One statement of each
  // kind on its way at a time: what reports meanwhile goes with the next, so a busy host sends a
  // few large batches rather than many of one try, and a lone try waits for nothing. A statement
  // that fails writes nothing, so a failed batch runs again try by try: one try's error is its own.
  const postgres = store.dialect === 'postgres';
  const usualStarts = postgres ? new SameTurnBatch<TryStartItem, StartedTry | null>(async (items) => settledAll(await startQueuedTries(db, items)), { ...POSTGRES_BATCHES, atOnce }) : null;
  const usualEnds = postgres ? new SameTurnBatch<TryEndItem, boolean>(async (items) => settledAll(await endRunningTries(db, items)), { ...POSTGRES_BATCHES, atOnce }) : null;
  const followUp = followUpWrite(options.followUpEnds, postgres, writes);

  return {
    startTry: async (key, host) => {
      const limits = { xcomMaxBytes: options.xcomMaxBytes };
      const startOf = (): TryStartItem['start'] => ({ now: now(), hostname: host.hostname, pid: host.pid, logPath: taskLogPath(key) });
      if (usualStarts !== null) {
        const usual = await usualStarts.submit({ key, start: startOf() });
        if (usual !== null) return buildTaskRunContext(db, usual.ti, usual, limits);
      }
      return writes.run(async (trx, batch): Promise<TaskRunContextData> => {
        const start = startOf();
        const startedAt = start.now;
        if (usualStarts === null) {
          const usual = await startUsualTry(trx, key, start, batch);
          if (usual !== null) return buildTaskRunContext(trx, usual.ti, usual, limits);
        }
        // Not the usual start (a sensor resuming, a refusal to explain, MySQL): read, check, write.
        const ti = await requireTaskInstance(trx, key);
        // A sensor in reschedule mode resumes its try: the try row exists and waits in up_for_reschedule.
        // While a try waits like that, the next try number may not start. A try the task instance has
        // not reached yet has no row to look for.
        const resuming = ti.tryNumber === key.tryNumber && (await getTryStatus(trx, key))?.state === 'up_for_reschedule';
        const previousWaits = key.tryNumber > 1 && (await getTryStatus(trx, { ...key, tryNumber: key.tryNumber - 1 }))?.state === 'up_for_reschedule';
        if (previousWaits) throw cannotTransition(key, ti, 'start');
        const started = await setTaskInstanceState(trx, key, {
          from: STARTABLE,
          whenTryNumber: resuming ? key.tryNumber : key.tryNumber - 1,
          to: 'running',
          tryNumber: key.tryNumber,
          // A resumed sensor keeps its first start, from which its timeout is measured.
          startDate: resuming ? (ti.startDate ?? startedAt) : startedAt,
          endDate: null,
          durationMs: null,
          hostname: host.hostname,
          pid: host.pid,
          lastHeartbeatAt: startedAt,
          nextAttemptAt: null,
        });
        if (!started) throw cannotTransition(key, ti, 'start');
        if (resuming) {
          await updateTry(trx, key, { state: 'running', hostname: host.hostname, pid: host.pid, end_date: null, duration_ms: null });
        } else {
          batch.later(TRY_ROWS, { ti, key, start });
        }
        const running: TaskInstance = { ...ti, state: 'running', tryNumber: key.tryNumber, startDate: resuming ? (ti.startDate ?? startedAt) : startedAt, hostname: host.hostname, pid: host.pid };
        return buildTaskRunContext(trx, running, await readRunOfTry(trx, running, batch), limits);
      });
    },

    heartbeat: (key) =>
      writes.run(async (trx) => {
        if (!(await recordTaskHeartbeat(trx, key, now()))) {
          throw cannotTransition(key, await requireTaskInstance(trx, key), 'heartbeat');
        }
      }),

    finishTry: async (key, outcome) => {
      const endedAt = now();
      const nextAttemptAt = nextAttemptOf(outcome);
      // Encoded first: a value that cannot be stored throws before anything is written, leaving
      // the try running for the supervisor to fail it. A success is never recorded without it.
      const returnValue = outcome.state === 'success' && outcome.returnValue !== undefined ? encodedXCom(key, 'return_value', outcome.returnValue, options.xcomMaxBytes, endedAt) : null;
      const error = 'error' in outcome ? JSON.stringify(outcome.error) : null;
      // Durations are counted from the starts in SQL: ending a try reads the task instance only
      // to explain a refusal or to date a reschedule.
      const end = { state: outcome.state, endDate: endedAt, nextAttemptAt };
      // A batch leaves alone a row someone changed since its lookup (a heartbeat...): the general
      // path below then checks again by key, and explains a refusal.
      if (usualEnds !== null && outcome.state !== 'up_for_reschedule') {
        if (await usualEnds.submit({ key, end: { ...end, error, returnValueJson: returnValue?.json ?? null } })) return outcome.state;
      }
      return writes.run(async (trx, batch) => {
        if (returnValue !== null) await setXCom(trx, returnValue);
        if (!(await endRunningTry(trx, key, end))) throw cannotTransition(key, await requireTaskInstance(trx, key), 'finish');
        batch.later(TRY_ENDS, { key, state: outcome.state, endDate: endedAt, error });
        if (followUp !== null) batch.later(followUp, key);
        if (outcome.state === 'up_for_reschedule' && nextAttemptAt !== null) {
          const ti = await requireTaskInstance(trx, key);
          await recordReschedule(trx, key, { startDate: ti.startDate ?? endedAt, endDate: endedAt, rescheduleDate: nextAttemptAt });
        }
        return outcome.state;
      });
    },

    setRenderedFields: (key, fields) =>
      writes.run(async (trx) => {
        if (!(await setTryRenderedFields(trx, key, fields))) throw tiNotFound(key);
      }),

    getVariable: async (key) => (await getVariable(db, secrets, key))?.value ?? null,

    getConnection: (connId): Promise<ConnectionData | null> => getConnection(db, secrets, connId),

    pushXCom: async (key, xcomKey, value) => {
      const xcom = encodedXCom(key, xcomKey, value, options.xcomMaxBytes, now());
      await writes.run((trx) => setXCom(trx, xcom));
    },

    pullXCom: async (query: XComQuery): Promise<JsonValue | undefined> => {
      const xcom = await getXCom(db, { ...query, mapIndex: query.mapIndex ?? -1 });
      return xcom === null ? undefined : xcom.value;
    },

    skipTasks: async (run, taskIds) => {
      await writes.run((trx) => skipTaskInstances(trx, run, taskIds, now()));
    },
  };
}

/**
 * The usual start of a try (queued at the previous try number) inside a group-commit batch, with
 * the run its context needs; null when it is not a usual start, and always on MySQL (no
 * RETURNING), where the caller's general path reads first and explains a refusal.
 */
async function startUsualTry(trx: Transaction<Database>, key: TaskTryKey, start: TryStart['start'], batch: UnitBatch): Promise<StartedTry | null> {
  const ti = await startQueuedTry(trx, key, start);
  if (ti === null) return null;
  batch.later(TRY_ROWS, { ti, key, start });
  return { ti, ...(await readRunOfTry(trx, ti, batch)) };
}

/**
 * The follow-up of the ends of a batch, as a write made after theirs: its hand-over in the same
 * transaction (the starts it brings about join it), its report once that transaction has committed.
 */
function followUpWrite(followUpEnds: TryEndsFollowUp | undefined, postgres: boolean, writes: GroupCommit): BatchWrite<TaskTryKey> | null {
  if (followUpEnds === undefined) return null;
  if (postgres) {
    throw new UpdraftError('INVALID_ARGUMENT', 'followUpEnds needs the transaction that records try ends, and Postgres records them in batched statements', {
      hint: 'Pass followUpEnds for SQLite and MySQL stores only',
    });
  }
  return {
    run: async (trx, ended, batch) => {
      const followedUp = await followUpEnds(trx, ended);
      if (followedUp === null) return;
      await writes.joinWhile(batch, followedUp.handOver);
      batch.afterCommit(followedUp.afterCommit);
    },
  };
}

/** Every value as settled: the statement of a batch answers each of its items. */
function settledAll<T>(values: T[]): Settled<T>[] {
  return values.map((value) => ({ ok: true, value }));
}

/** The XCom row of a try; throws XCOM_TOO_LARGE or XCOM_NOT_JSON for a value that cannot be stored. */
function encodedXCom(key: TaskTryKey, xcomKey: string, value: JsonValue, maxBytes: number, at: number): Parameters<typeof setXCom>[1] {
  const json = encodeXComValue(value, { maxBytes, taskId: key.taskId, key: xcomKey });
  return { dagId: key.dagId, runId: key.runId, taskId: key.taskId, mapIndex: key.mapIndex, key: xcomKey, json, now: at };
}

async function requireTaskInstance(db: Store['db'], key: TaskInstanceKey): Promise<TaskInstance> {
  const ti = await getTaskInstance(db, key);
  if (ti === null) throw tiNotFound(key);
  return ti;
}

function nextAttemptOf(outcome: TaskOutcome): number | null {
  const at = outcome.state === 'up_for_retry' ? outcome.nextRetryAt : outcome.state === 'up_for_reschedule' ? outcome.rescheduleAt : null;
  if (at === null) return null;
  const millis = Date.parse(at);
  if (Number.isNaN(millis)) {
    throw new UpdraftError('INVALID_ARGUMENT', `Invalid ISO-8601 instant "${at}" for the next attempt`, { details: { state: outcome.state } });
  }
  return millis;
}

function tiNotFound(key: TaskInstanceKey): UpdraftError {
  return new UpdraftError('TASK_INSTANCE_NOT_FOUND', `No task instance ${describe(key)}`, { details: { ...key } });
}

function cannotTransition(key: TaskTryKey, ti: TaskInstance, action: 'start' | 'finish' | 'heartbeat'): UpdraftError {
  return new UpdraftError(
    'INVALID_STATE_TRANSITION',
    `Cannot ${action} try ${key.tryNumber} of ${describe(key)}: the task instance is ${ti.state} at try ${ti.tryNumber}`,
    {
      hint: action === 'start' ? 'The try already started elsewhere or the task instance was cleared or changed' : 'The task instance was cleared, marked or started again by someone else',
      details: { ...key, state: ti.state, currentTryNumber: ti.tryNumber },
    },
  );
}

function describe(key: TaskInstanceKey): string {
  return `${key.dagId}/${key.runId}/${key.taskId}${key.mapIndex >= 0 ? `[${key.mapIndex}]` : ''}`;
}
