import { setTimeout as sleep } from 'node:timers/promises';
import type { SerializedSensorOptions } from '../../contracts/serialized-dag.ts';
import { SENSOR_MODES, type SensorMode } from '../../contracts/states.ts';
import { BaseOperator } from '../base-operator.ts';
import { durationToSeconds, type DurationInput } from '../duration.ts';
import { optionalBoolean, optionalEnum } from '../option-checks.ts';
import type { TaskContext } from '../task-context.ts';
import { taskLog } from '../task-log.ts';
import type { TaskOptions } from '../task-options.ts';
import { NonRetriableError, RescheduleError, SkipError } from '../task-signals.ts';

export interface BaseSensorOptions extends TaskOptions {
  /** Time between pokes. Default 60 seconds. */
  pokeInterval?: DurationInput;
  /** Give up after this long since the first poke. Default 7 days. */
  timeout?: DurationInput;
  /** `poke` keeps the worker slot and sleeps between pokes; `reschedule` frees it. Default `poke`. */
  mode?: SensorMode;
  /** On timeout, skip instead of failing. */
  softFail?: boolean;
  /** Grow the interval between pokes as time passes. */
  exponentialBackoff?: boolean;
  /** Upper bound for the interval when exponentialBackoff is on. */
  maxWait?: DurationInput;
}

const DEFAULT_POKE_INTERVAL_SECONDS = 60;
const DEFAULT_TIMEOUT_SECONDS = 7 * 24 * 3600;

/**
 * Waits for something to become true (Airflow's BaseSensorOperator). Implement `poke`; it is
 * called every `pokeInterval` until it returns true or `timeout` has passed since the first poke.
 * A timeout fails the task without retrying (or skips it with `softFail`).
 */
export abstract class BaseSensorOperator<Options extends BaseSensorOptions = BaseSensorOptions> extends BaseOperator<Options> {
  static override uiColor = '#e6f1f2';
  readonly pokeIntervalSeconds: number;
  readonly timeoutSeconds: number;
  readonly mode: SensorMode;
  readonly softFail: boolean;
  readonly exponentialBackoff: boolean;
  readonly maxWaitSeconds: number | null;

  constructor(options: Options) {
    super(options);
    const site = { dagId: this.dagId, taskId: this.taskId };
    this.pokeIntervalSeconds = options.pokeInterval === undefined ? DEFAULT_POKE_INTERVAL_SECONDS : durationToSeconds(options.pokeInterval, 'pokeInterval', site);
    this.timeoutSeconds = options.timeout === undefined ? DEFAULT_TIMEOUT_SECONDS : durationToSeconds(options.timeout, 'timeout', site);
    this.mode = optionalEnum(site, 'mode', options.mode, SENSOR_MODES) ?? 'poke';
    this.softFail = optionalBoolean(site, 'softFail', options.softFail) ?? false;
    this.exponentialBackoff = optionalBoolean(site, 'exponentialBackoff', options.exponentialBackoff) ?? false;
    this.maxWaitSeconds = options.maxWait === undefined ? null : durationToSeconds(options.maxWait, 'maxWait', site);
  }

  /** Returns true when the awaited condition holds. */
  abstract poke(context: TaskContext): boolean | Promise<boolean>;

  async execute(context: TaskContext): Promise<void> {
    const started = context.ti.startDate?.toDate().getTime() ?? Date.now();
    for (;;) {
      if (await this.poke(context)) {
        taskLog.info('Success criteria met. Exiting.');
        return;
      }
      const elapsed = (Date.now() - started) / 1000;
      if (elapsed >= this.timeoutSeconds) this.timedOut(elapsed);
      const delay = this.nextDelaySeconds(elapsed);
      if (this.mode === 'reschedule') throw new RescheduleError(new Date(Date.now() + delay * 1000));
      taskLog.info(`Condition not met; poking again in ${delay} seconds`);
      await sleep(delay * 1000);
    }
  }

  override get sensor(): SerializedSensorOptions {
    return {
      pokeIntervalSeconds: this.pokeIntervalSeconds,
      timeoutSeconds: this.timeoutSeconds,
      mode: this.mode,
      softFail: this.softFail,
      exponentialBackoff: this.exponentialBackoff,
      maxWaitSeconds: this.maxWaitSeconds,
    };
  }

  /**
   * With backoff, waiting as long as the sensor has already waited doubles the interval at each
   * poke without counting pokes, which reschedule mode could not do across tries.
   */
  private nextDelaySeconds(elapsed: number): number {
    let delay = this.exponentialBackoff ? Math.max(this.pokeIntervalSeconds, elapsed) : this.pokeIntervalSeconds;
    if (this.maxWaitSeconds !== null) delay = Math.min(delay, this.maxWaitSeconds);
    return Math.max(0, Math.min(delay, this.timeoutSeconds - elapsed));
  }

  private timedOut(elapsed: number): never {
    const message = `Sensor has timed out; run duration of ${elapsed.toFixed(1)} seconds exceeds the specified timeout of ${this.timeoutSeconds}.`;
    if (this.softFail) throw new SkipError(`${message} Skipping due to softFail.`);
    throw new NonRetriableError(message, { code: 'TASK_TIMEOUT', hint: 'Raise the sensor timeout or check why the condition never became true' });
  }
}
