import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { sql } from 'kysely';
import pg from 'pg';
import { sqlitePathFromUrl } from './dialects/sqlite.ts';
import { FileSignals } from './file-signals.ts';
import type { Store } from './store.ts';

/**
 * Wake-up channels between components. A payload is an optional short hint (a DAG id); receivers
 * must re-read the store, never trust it.
 */
export const NOTIFICATION_CHANNELS = ['dag_parsed', 'run_triggered', 'ti_finished'] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];
export type NotificationListener = (payload: string) => void;

export interface Notifier {
  /** Wakes listeners in this process at once, and in other processes through NOTIFY or a signal file. */
  notify(channel: NotificationChannel, payload?: string): Promise<void>;
  /** Calls `listener` on each notification of `channel`; returns the unsubscribe function. */
  listen(channel: NotificationChannel, listener: NotificationListener): () => void;
  close(): Promise<void>;
}

export interface NotifierOptions {
  /** The store's database URL: identifies the database, and Postgres LISTEN needs its own connection. */
  url: string;
  /** Called when the LISTEN connection fails; it reconnects by itself. */
  onError?: (error: Error) => void;
  /** Delay before reconnecting a lost LISTEN connection. Default 1 s. */
  reconnectDelayMs?: number;
}

/** One in-process bus per database, shared by every notifier of this process. */
const localBuses = new Map<string, EventEmitter>();
/** Marks this process's own NOTIFYs, which its listeners already received through the local bus. */
const PROCESS_ORIGIN = randomUUID();

/**
 * Event-driven wake-ups (DESIGN §2): an in-process EventEmitter for components that share a
 * process (any dialect), plus, across processes, Postgres LISTEN/NOTIFY on a dedicated connection
 * that reconnects on error, or watched files beside a SQLite database (FileSignals). MySQL has no
 * cross-process channel: there the scheduler's slow poll is the safety net.
 */
export function createNotifier(store: Store, options: NotifierOptions): Notifier {
  const bus = localBuses.get(options.url) ?? new EventEmitter().setMaxListeners(0);
  localBuses.set(options.url, bus);
  const listening = new Set<NotificationChannel>();
  const unsubscribes = new Set<() => void>();
  const remote = crossProcessChannel(store, options, (channel, payload) => bus.emit(channel, payload));

  return {
    async notify(channel, payload = '') {
      bus.emit(channel, payload);
      await remote?.send(channel, payload);
    },
    listen(channel, listener) {
      bus.on(channel, listener);
      if (remote !== null && !listening.has(channel)) {
        listening.add(channel);
        remote.subscribe(channel);
      }
      const unsubscribe = (): void => {
        bus.off(channel, listener);
        unsubscribes.delete(unsubscribe);
      };
      unsubscribes.add(unsubscribe);
      return unsubscribe;
    },
    async close() {
      for (const unsubscribe of [...unsubscribes]) unsubscribe();
      if (bus.eventNames().every((name) => bus.listenerCount(name) === 0)) localBuses.delete(options.url);
      await remote?.close();
    },
  };
}

/** How notifications leave this process and arrive from others. */
interface CrossProcessChannel {
  send(channel: NotificationChannel, payload: string): Promise<void>;
  subscribe(channel: NotificationChannel): void;
  close(): Promise<void>;
}

/** Postgres LISTEN/NOTIFY; for a SQLite file, FileSignals beside it; MySQL and in-memory SQLite have none. */
function crossProcessChannel(store: Store, options: NotifierOptions, deliver: (channel: NotificationChannel, payload: string) => void): CrossProcessChannel | null {
  if (store.dialect === 'postgres') {
    const listener = new PostgresListener(options, deliver);
    return {
      send: async (channel, payload) => {
        await sql`select pg_notify(${listener.channelName(channel)}, ${JSON.stringify({ origin: PROCESS_ORIGIN, payload })})`.execute(store.db);
      },
      subscribe: (channel) => listener.subscribe(channel),
      close: () => listener.close(),
    };
  }
  const path = store.dialect === 'sqlite' ? sqlitePathFromUrl(options.url) : null;
  if (path === null || path === ':memory:') return null;
  const signals = new FileSignals<NotificationChannel>(path, PROCESS_ORIGIN, deliver);
  return {
    send: async (channel, payload) => signals.send(channel, payload),
    subscribe: (channel) => signals.subscribe(channel),
    close: async () => signals.close(),
  };
}

/** A dedicated pg client that LISTENs on the subscribed channels and comes back after errors. */
class PostgresListener {
  readonly #options: NotifierOptions;
  readonly #deliver: (channel: NotificationChannel, payload: string) => void;
  readonly #channels = new Set<NotificationChannel>();
  readonly #prefix: string;
  #client: pg.Client | null = null;
  #connecting: Promise<void> | null = null;
  #retry: NodeJS.Timeout | null = null;
  #closed = false;

  constructor(options: NotifierOptions, deliver: (channel: NotificationChannel, payload: string) => void) {
    this.#options = options;
    this.#deliver = deliver;
    // NOTIFY channels are database-wide; the schema in the URL keeps installations sharing a database apart.
    const schema = new URL(options.url).searchParams.get('schema');
    this.#prefix = `updraft_${schema === null ? '' : `${schema.toLowerCase()}_`}`;
  }

  channelName(channel: NotificationChannel): string {
    return `${this.#prefix}${channel}`;
  }

  subscribe(channel: NotificationChannel): void {
    this.#channels.add(channel);
    if (this.#client !== null) void this.#listen(this.#client, channel).catch((error: Error) => this.#fail(error));
    else this.#connect();
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#retry !== null) clearTimeout(this.#retry);
    await this.#connecting?.catch(() => undefined);
    const client = this.#client;
    this.#client = null;
    await client?.end().catch(() => undefined);
  }

  #connect(): void {
    if (this.#connecting !== null || this.#closed) return;
    const url = new URL(this.#options.url);
    url.searchParams.delete('schema');
    const client = new pg.Client({ connectionString: url.toString() });
    client.on('notification', (message) => this.#onNotification(message));
    client.on('error', (error) => this.#fail(error));
    this.#connecting = (async () => {
      try {
        await client.connect();
        for (const channel of this.#channels) await this.#listen(client, channel);
        if (this.#closed) await client.end();
        else this.#client = client;
      } catch (error) {
        await client.end().catch(() => undefined);
        this.#fail(error as Error);
      } finally {
        this.#connecting = null;
      }
    })();
  }

  async #listen(client: pg.Client, channel: NotificationChannel): Promise<void> {
    await client.query(`LISTEN ${client.escapeIdentifier(this.channelName(channel))}`);
  }

  #onNotification(message: pg.Notification): void {
    const channel = NOTIFICATION_CHANNELS.find((name) => this.channelName(name) === message.channel);
    if (channel === undefined) return;
    let parsed: { origin?: string; payload?: string } = {};
    try {
      parsed = JSON.parse(message.payload ?? '{}') as typeof parsed;
    } catch {
      // A NOTIFY from elsewhere with a plain payload: still a wake-up.
    }
    if (parsed.origin === PROCESS_ORIGIN) return;
    this.#deliver(channel, parsed.payload ?? message.payload ?? '');
  }

  #fail(error: Error): void {
    if (this.#closed) return;
    this.#options.onError?.(error);
    const client = this.#client;
    this.#client = null;
    void client?.end().catch(() => undefined);
    if (this.#retry !== null) return;
    this.#retry = setTimeout(() => {
      this.#retry = null;
      this.#connect();
    }, this.#options.reconnectDelayMs ?? 1_000);
    this.#retry.unref();
  }
}
