import { hostname } from 'node:os';
import { endJob, heartbeatJob, startJob, type Job, type Store } from '../store/index.ts';

/** The job type under which the DAG processor registers itself (Airflow's DagProcessorJob). */
export const DAG_PROCESSOR_JOB_TYPE = 'DagProcessorJob';

/**
 * The DAG processor's row in the `job` table, heartbeated on a timer so that /health and the UI
 * can tell a live processor from a dead one.
 */
export class ProcessorJob {
  readonly #store: Store;
  readonly #job: Job;
  readonly #timer: NodeJS.Timeout;
  readonly #now: () => number;
  readonly #onError: (error: unknown) => void;

  private constructor(store: Store, job: Job, heartbeatMs: number, now: () => number, onError: (error: unknown) => void) {
    this.#store = store;
    this.#job = job;
    this.#now = now;
    this.#onError = onError;
    this.#timer = setInterval(() => void this.#beat(), heartbeatMs);
    // A heartbeat alone must not keep the process alive after everything else stopped.
    this.#timer.unref();
  }

  static async start(store: Store, options: { heartbeatSeconds: number; now: () => number; onError: (error: unknown) => void }): Promise<ProcessorJob> {
    const job = await startJob(store.db, { jobType: DAG_PROCESSOR_JOB_TYPE, hostname: hostname(), pid: process.pid, now: options.now() });
    return new ProcessorJob(store, job, options.heartbeatSeconds * 1000, options.now, options.onError);
  }

  get id(): number {
    return this.#job.id;
  }

  /** Stops heartbeating and marks the job ended. */
  async end(state: 'success' | 'failed'): Promise<void> {
    clearInterval(this.#timer);
    await endJob(this.#store.db, this.#job.id, state, this.#now());
  }

  async #beat(): Promise<void> {
    try {
      await heartbeatJob(this.#store.db, this.#job.id, this.#now());
    } catch (error) {
      // A missed heartbeat is reported, not fatal: the next one may well succeed.
      this.#onError(error);
    }
  }
}
