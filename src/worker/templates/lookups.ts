import { UpdraftError } from '../../contracts/errors.ts';

/**
 * Templates render synchronously, but variables, connections and XComs live behind the supervisor.
 * Rendering therefore runs in passes: a read of something not fetched yet is recorded and renders
 * as undefined; the renderer fetches what was recorded and renders again, until a pass asks for
 * nothing new. Reads of things that do not exist are remembered and reported after the last pass.
 */
export class TemplateLookups {
  private readonly fetched = new Map<string, unknown>();
  private readonly wanted = new Map<string, () => Promise<unknown>>();
  private missing: UpdraftError[] = [];

  /** The value for `key` when known; otherwise records `fetch` for the next round and returns undefined. */
  read(key: string, fetch: () => Promise<unknown>): unknown {
    if (this.fetched.has(key)) return this.fetched.get(key);
    this.wanted.set(key, fetch);
    return undefined;
  }

  /** Notes a read of something that does not exist; an error only if the final pass still reads it. */
  reportMissing(error: UpdraftError): void {
    this.missing.push(error);
  }

  startPass(): void {
    this.missing = [];
  }

  /** Fetches everything recorded since the last call. Returns false when nothing new was asked for. */
  async fetchWanted(): Promise<boolean> {
    if (this.wanted.size === 0) return false;
    const batch = [...this.wanted];
    this.wanted.clear();
    const values = await Promise.all(batch.map(([, fetch]) => fetch()));
    batch.forEach(([key], index) => this.fetched.set(key, values[index]));
    return true;
  }

  /** Throws the first missing read of the final pass. */
  assertNothingMissing(): void {
    const [first] = this.missing;
    if (first !== undefined) throw first;
  }
}
