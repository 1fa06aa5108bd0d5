import type { FastifyBaseLogger } from 'fastify';
import { NOTIFICATION_CHANNELS, type Notifier, type Store } from '../../store/index.ts';
import { listDagStates, listImportErrorStamps, listRecentRunStates, listTaskStatesOfRuns } from '../../store/queries/run-task-states.ts';

/** What the event stream sends; `type` is the SSE event name, `data` its JSON. */
export type StateEvent =
  | { type: 'dag_run'; data: { dag_id: string; run_id: string; state: string } }
  | { type: 'task_instance'; data: { dag_id: string; run_id: string; task_id: string; map_index: number; state: string; try_number: number } }
  | { type: 'dag'; data: { dag_id: string; is_paused: boolean; is_active: boolean; version_hash: string } }
  | { type: 'import_errors'; data: { count: number } };

export type StateEventListener = (events: StateEvent[]) => void;

/** Runs that ended this long before a poll are still re-read, so clock skew between hosts loses nothing. */
const LOOKBACK_MS = 5_000;

/**
 * One poller per API process, shared by every SSE client: every `pollMs` it reads the states of
 * unfinished and recently changed runs (and their TIs), every DAG's paused flag and version, and
 * the import errors, and emits what differs from the previous poll. Polling the store (instead of
 * in-process events) makes it work across processes and on every database. It runs only while
 * someone listens.
 */
export class StateEventHub {
  readonly #store: Store;
  readonly #pollMs: number;
  readonly #log: FastifyBaseLogger | undefined;
  readonly #notifier: Notifier | undefined;
  #stopListening: (() => void)[] = [];
  readonly #listeners = new Set<StateEventListener>();
  /** Subscribers waiting for the first poll that started after they subscribed. */
  #waiting: (() => void)[] = [];
  #timer: NodeJS.Timeout | null = null;
  #polling = false;
  #baseline = false;
  #lastPollAt = 0;
  readonly #runs = new Map<number, string>();
  readonly #tasks = new Map<string, string>();
  readonly #dags = new Map<string, string>();
  #importErrors = '';

  /** With a notifier, a wake-up (run triggered, task finished, DAG parsed) polls at once instead of at the next tick. */
  constructor(store: Store, options: { pollMs: number; log?: FastifyBaseLogger; notifier?: Notifier }) {
    this.#store = store;
    this.#pollMs = options.pollMs;
    this.#log = options.log;
    this.#notifier = options.notifier;
  }

  /**
   * Starts receiving events. `ready` resolves once a poll that began after this call completed:
   * from then on every change is reported (what came before is in the baseline).
   */
  subscribe(listener: StateEventListener): { ready: Promise<void>; unsubscribe: () => void } {
    this.#listeners.add(listener);
    const ready = new Promise<void>((resolve) => this.#waiting.push(resolve));
    if (this.#timer === null) {
      this.#timer = setInterval(() => void this.#tick(), this.#pollMs);
      this.#timer.unref();
      const notifier = this.#notifier;
      if (notifier !== undefined) this.#stopListening = NOTIFICATION_CHANNELS.map((channel) => notifier.listen(channel, () => void this.#tick()));
    }
    const unsubscribe = () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size === 0) this.close();
    };
    return { ready, unsubscribe };
  }

  /** Stops polling and forgets the snapshot (the next subscriber starts from a fresh baseline). */
  close(): void {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
    for (const stop of this.#stopListening.splice(0)) stop();
    for (const resolve of this.#waiting.splice(0)) resolve();
    this.#baseline = false;
    this.#runs.clear();
    this.#tasks.clear();
    this.#dags.clear();
  }

  /**
   * One poll: returns the changes since the previous one (none on the first poll, which only takes
   * the baseline). Public so tests can drive the hub without timers.
   */
  async poll(now: number = Date.now()): Promise<StateEvent[]> {
    const events: StateEvent[] = [];
    const emit = this.#baseline ? (event: StateEvent) => events.push(event) : () => undefined;
    const since = (this.#baseline ? this.#lastPollAt : now) - LOOKBACK_MS;
    this.#lastPollAt = now;
    const db = this.#store.db;
    const [runs, dags, importErrors] = await Promise.all([listRecentRunStates(db, since), listDagStates(db), listImportErrorStamps(db)]);

    const seenRuns = new Set<number>();
    for (const run of runs) {
      seenRuns.add(run.id);
      if (this.#runs.get(run.id) !== run.state) emit({ type: 'dag_run', data: { dag_id: run.dagId, run_id: run.runId, state: run.state } });
      this.#runs.set(run.id, run.state);
    }
    for (const id of this.#runs.keys()) if (!seenRuns.has(id)) this.#runs.delete(id);

    const seenTasks = new Set<string>();
    for (const ti of await listTaskStatesOfRuns(db, runs)) {
      const key = `${ti.dagRunId}\u0000${ti.taskId}\u0000${ti.mapIndex}`;
      const value = `${ti.state}/${ti.tryNumber}`;
      seenTasks.add(key);
      if (this.#tasks.get(key) !== value) {
        emit({ type: 'task_instance', data: { dag_id: ti.dagId, run_id: ti.runId, task_id: ti.taskId, map_index: ti.mapIndex, state: ti.state, try_number: ti.tryNumber } });
      }
      this.#tasks.set(key, value);
    }
    for (const key of this.#tasks.keys()) if (!seenTasks.has(key)) this.#tasks.delete(key);

    for (const dag of dags) {
      const value = `${dag.isPaused}/${dag.isActive}/${dag.versionHash}`;
      if (this.#dags.get(dag.dagId) !== value) emit({ type: 'dag', data: { dag_id: dag.dagId, is_paused: dag.isPaused, is_active: dag.isActive, version_hash: dag.versionHash } });
      this.#dags.set(dag.dagId, value);
    }

    const signature = importErrors.map((error) => `${error.filename}@${error.timestamp}`).sort().join('\n');
    if (signature !== this.#importErrors) emit({ type: 'import_errors', data: { count: importErrors.length } });
    this.#importErrors = signature;

    this.#baseline = true;
    return events;
  }

  async #tick(): Promise<void> {
    if (this.#polling) return; // a slow database must not stack polls
    this.#polling = true;
    const waiting = this.#waiting;
    this.#waiting = [];
    try {
      const events = await this.poll();
      if (events.length > 0) for (const listener of this.#listeners) listener(events);
      for (const resolve of waiting) resolve();
    } catch (error) {
      this.#waiting.push(...waiting);
      this.#log?.warn({ err: error }, 'state event poll failed');
    } finally {
      this.#polling = false;
    }
  }
}
