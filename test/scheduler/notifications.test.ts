import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createNotifier, type Notifier } from '../../src/store/index.ts';
import { createTestStore } from '../support/databases.ts';

type TestStore = Awaited<ReturnType<typeof createTestStore>>;

const STORE_MODULE = fileURLToPath(new URL('../../src/store/index.ts', import.meta.url));

function nextPayload(notifier: Notifier, channel: 'dag_parsed' | 'run_triggered'): Promise<string> {
  return new Promise((resolve) => {
    const off = notifier.listen(channel, (payload) => {
      off();
      resolve(payload);
    });
  });
}

describe('notifications', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function open(dialect: 'sqlite' | 'postgres'): Promise<{ store: TestStore; notifier: Notifier }> {
    const store = await createTestStore(dialect);
    const notifier = createNotifier(store, { url: store.url, reconnectDelayMs: 50 });
    cleanups.push(() => store.drop(), () => notifier.close());
    return { store, notifier };
  }

  it.each(['sqlite', 'postgres'] as const)('wakes listeners in the same process once (%s)', async (dialect) => {
    const { store, notifier } = await open(dialect);
    const other = createNotifier(store, { url: store.url });
    cleanups.push(() => other.close());
    const received: string[] = [];
    other.listen('dag_parsed', (payload) => received.push(payload));
    const got = nextPayload(other, 'dag_parsed');
    await notifier.notify('dag_parsed', 'my_dag');
    expect(await got).toBe('my_dag');
    // Postgres also delivers the NOTIFY back to this process: it must not arrive twice.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(received).toEqual(['my_dag']);
  });

  it('delivers a notification from another process through the signal file beside a SQLite database', async () => {
    const { store, notifier } = await open('sqlite');
    const received: string[] = [];
    notifier.listen('run_triggered', (payload) => received.push(payload));
    const longPayload = 'a_payload_longer_than_the_next_one'.repeat(4);
    // Another process, as `updraft dags trigger` is: its own bus, its own origin. Its second,
    // shorter signal overwrites the start of the first: the listener must read it whole.
    const script = [
      `import { createNotifier, openStore } from ${JSON.stringify(STORE_MODULE)};`,
      `const store = await openStore({ url: ${JSON.stringify(store.url)}, secretKey: 'x'.repeat(44) });`,
      `const notifier = createNotifier(store, { url: ${JSON.stringify(store.url)} });`,
      `await notifier.notify('run_triggered', ${JSON.stringify(longPayload)});`,
      'await new Promise((resolve) => setTimeout(resolve, 100));',
      `await notifier.notify('run_triggered', 'from_elsewhere');`,
      'await notifier.close();',
      'await store.close();',
    ].join('\n');
    const exit = await new Promise<number | null>((resolve) => spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: 'inherit' }).once('close', resolve));
    expect(exit).toBe(0);
    await expect.poll(() => received.at(-1)).toBe('from_elsewhere');
    await notifier.notify('run_triggered', 'from_here');
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Nothing but whole signals arrives; this process's own reaches it through its bus only, not again through the file.
    expect(received.filter((payload) => payload !== longPayload)).toEqual(['from_elsewhere', 'from_here']);
  });

  it('delivers a NOTIFY from another connection, on the channel of its own schema only', async () => {
    const { store, notifier } = await open('postgres');
    const received: string[] = [];
    notifier.listen('run_triggered', (payload) => received.push(payload));
    const schema = new URL(store.url).searchParams.get('schema')!;
    const client = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/test' });
    await client.connect();
    try {
      // The LISTEN connection opens in the background: notify until it is heard.
      for (let i = 0; i < 50 && received.length === 0; i++) {
        await client.query(`select pg_notify('updraft_other_schema_run_triggered', 'not for us')`);
        await client.query(`select pg_notify($1, $2)`, [`updraft_${schema}_run_triggered`, JSON.stringify({ origin: 'elsewhere', payload: 'dag_x' })]);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    } finally {
      await client.end();
    }
    expect(received[0]).toBe('dag_x');
    expect(received).not.toContain('not for us');
  });
});
