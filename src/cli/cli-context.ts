import { loadConfig, type UpdraftConfig } from '../config/index.ts';
import { createNotifier, loadOrCreateSecretKey, migrate, openStore, type Store } from '../store/index.ts';

/**
 * What every command needs, created lazily so that `updraft --help` or `config get` never touch
 * the database.
 */
export class CliContext {
  #config: UpdraftConfig | undefined;

  get config(): UpdraftConfig {
    this.#config ??= loadConfig();
    return this.#config;
  }

  /** Opens the metadata store (migrating it to the current schema), runs `work`, closes the store. */
  async withStore<T>(work: (store: Store) => Promise<T>, options: { migrate?: boolean } = {}): Promise<T> {
    const store = await this.openStore(options);
    try {
      return await work(store);
    } finally {
      await store.close();
    }
  }

  /**
   * Tells a scheduler running elsewhere that `dagId` has work (a run triggered, a DAG unpaused,
   * task instances cleared), as the API does, so that it looks now rather than at its next poll:
   * through Postgres NOTIFY, or the signal files beside a SQLite database. A wake-up that cannot
   * be sent costs only that latency.
   */
  async wakeScheduler(store: Store, dagId: string): Promise<void> {
    const notifier = createNotifier(store, { url: this.config.database.url });
    try {
      await notifier.notify('run_triggered', dagId);
    } catch {
      // The scheduler's poll finds the work anyway.
    } finally {
      await notifier.close();
    }
  }

  async openStore(options: { migrate?: boolean } = {}): Promise<Store> {
    const { config } = this;
    const store = await openStore({
      url: config.database.url,
      secretKey: loadOrCreateSecretKey(config.core.secret_key, config.home),
      poolSize: config.database.pool_size,
    });
    if (options.migrate !== false) {
      try {
        await migrate(store.db, { defaultPoolSlots: config.core.default_pool_slots });
      } catch (error) {
        await store.close();
        throw error;
      }
    }
    return store;
  }
}
