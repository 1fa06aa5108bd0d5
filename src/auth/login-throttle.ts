/**
 * Slows down password guessing per username, in memory: after FREE_FAILURES failed logins each
 * further attempt must wait twice as long as the previous one (1 s, 2 s, 4 s ... up to 15 min).
 * A success forgets the username. In-memory is enough: the scrypt cost bounds guesses per process.
 */
const FREE_FAILURES = 5;
const BASE_DELAY_MS = 1_000;
const MAX_DELAY_MS = 15 * 60_000;
const MAX_TRACKED = 10_000;

export class LoginThrottle {
  readonly #failures = new Map<string, { count: number; blockedUntil: number }>();

  /** Milliseconds the username must still wait before another attempt; 0 when it may try now. */
  waitFor(username: string, now: number): number {
    const entry = this.#failures.get(username);
    return entry === undefined ? 0 : Math.max(0, entry.blockedUntil - now);
  }

  recordFailure(username: string, now: number): void {
    if (this.#failures.size >= MAX_TRACKED && !this.#failures.has(username)) this.#forgetOldest();
    const count = (this.#failures.get(username)?.count ?? 0) + 1;
    const over = count - FREE_FAILURES;
    const blockedUntil = over < 0 ? 0 : now + Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** over);
    this.#failures.set(username, { count, blockedUntil });
  }

  recordSuccess(username: string): void {
    this.#failures.delete(username);
  }

  #forgetOldest(): void {
    const oldest = this.#failures.keys().next();
    if (oldest.done !== true) this.#failures.delete(oldest.value);
  }
}
