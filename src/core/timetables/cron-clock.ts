import { Cron } from 'croner';

/**
 * The ticks of one cron expression in one time zone, as epoch milliseconds.
 *
 * DST follows croner's rules (Vixie cron's), which we adopt as Updraft's definition:
 * - a fixed-time job (single minute and hour, e.g. `30 2 * * *`) whose time falls in the
 *   spring-forward gap runs once at the first valid instant after the gap (03:00 local);
 * - a fixed-time job whose time occurs twice in the autumn runs once, at the first occurrence;
 * - wildcard or step jobs (`0 * * * *`, every 15 minutes) follow the real clock: times inside the gap do not
 *   exist and are skipped, repeated times run on both occurrences (every real hour runs once).
 * Airflow differs in the two fixed-time cases (it runs at 03:30 in the gap and picks the second
 * occurrence of a repeated time); see timetables.test.ts for the exact instants we guarantee.
 */
export class CronClock {
  readonly #cron: Cron;

  constructor(expression: string, timezone: string) {
    // `paused` keeps croner from arming timers: we only ask it questions about time.
    this.#cron = new Cron(expression, { paused: true, timezone });
  }

  /** The first tick strictly after `instant`. */
  after(instant: number): number | null {
    return this.#cron.nextRun(new Date(instant))?.getTime() ?? null;
  }

  /** The newest tick strictly before `instant`. */
  before(instant: number): number | null {
    return this.#cron.previousRuns(1, new Date(instant))[0]?.getTime() ?? null;
  }

  /** The first tick at or after `instant`. Ticks fall on whole seconds, so 1 ms earlier suffices. */
  atOrAfter(instant: number): number | null {
    return this.after(instant - 1);
  }

  /** The newest tick at or before `instant`. */
  atOrBefore(instant: number): number | null {
    return this.before(instant + 1);
  }
}
