import { constants, DatabaseSync, StatementSync, type SQLInputValue } from 'node:sqlite';
import { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqliteDialect, limitsUnseenByPlanner, sqlitePathFromUrl } from '../../src/store/dialects/sqlite.ts';
import {
  anyDagNeedsRunCreation,
  claimDagsForRunCreation,
  claimRunsToSchedule,
  claimScheduledTis,
  createStoreTaskExecutionApi,
  finishRunningRun,
  inTransaction,
  listTiStatesOfRuns,
  lockPools,
  logicalDatesAfter,
  nextSchedulingDeadline,
  readDagRunBook,
  setNextDagrun,
  setTaskInstanceStates,
  startQueuedRun,
  type Database,
  type Store,
} from '../../src/store/index.ts';
import { createTestStore } from '../support/databases.ts';
import { seedRun, serializedDag, serializedTask, T0 } from './fixtures.ts';

/**
 * SQLite compiles a statement again on every run when a bound value reaches its planner (a bare
 * LIMIT, a comparison against a partial index's condition), and the cost hides inside the run:
 * 100 µs a statement where the work is 20. This replays every statement of a scheduling loop and
 * of a try's start and end, and counts compiles with an authorizer, which SQLite calls at each one.
 */
describe('statements SQLite compiles once', () => {
  let store: Awaited<ReturnType<typeof createTestStore>>;
  beforeEach(async () => {
    store = await createTestStore('sqlite');
  });
  afterEach(async () => {
    await store.drop();
  });

  it('a scheduling loop and a try compile each statement once, whatever values it is run with', async () => {
    const path = sqlitePathFromUrl(store.url)!;
    const db = new Kysely<Database>({ dialect: createSqliteDialect(path) });
    // Recorded where every statement runs, whether through Kysely or on the connection directly.
    const executed = await recordingStatements(async () => {
      try {
        await runLoopAndTry({ ...store, db });
      } finally {
        await db.destroy();
      }
    });
    expect(executed.length).toBeGreaterThan(20);

    const replay = new DatabaseSync(path);
    let compiles = 0;
    replay.setAuthorizer(() => {
      compiles += 1;
      return constants.SQLITE_OK;
    });
    const compiledAgain: string[] = [];
    try {
      for (const query of executed) {
        if (/^(begin|commit|rollback|savepoint|release)/i.test(query.sql)) continue;
        const statement = replay.prepare(limitsUnseenByPlanner(query.sql));
        /** Compiles during one run of the statement (the savepoint statements around it compile too). */
        const run = (): number => {
          replay.exec('savepoint replay');
          const before = compiles;
          try {
            statement.all(...(query.parameters as SQLInputValue[]));
          } catch {
            // A replayed insert may meet its own row: compiling happened before the error.
          }
          const during = compiles - before;
          replay.exec('rollback to replay');
          replay.exec('release replay');
          return during;
        };
        run();
        if (run() > 0) compiledAgain.push(query.sql);
      }
    } finally {
      replay.close();
    }
    expect(compiledAgain).toEqual([]);
  });
});

/** Every statement node:sqlite runs during `work`, with its values. */
async function recordingStatements(work: () => Promise<void>): Promise<{ sql: string; parameters: unknown[] }[]> {
  const executed: { sql: string; parameters: unknown[] }[] = [];
  const methods = ['all', 'get', 'run', 'iterate'] as const;
  const originals = methods.map((name) => [name, StatementSync.prototype[name]] as const);
  for (const [name, original] of originals) {
    Object.defineProperty(StatementSync.prototype, name, {
      configurable: true,
      writable: true,
      value: function (this: StatementSync, ...parameters: unknown[]) {
        executed.push({ sql: this.sourceSQL, parameters });
        return (original as (...values: unknown[]) => unknown).apply(this, parameters);
      },
    });
  }
  try {
    await work();
  } finally {
    for (const [name, original] of originals) Object.defineProperty(StatementSync.prototype, name, { configurable: true, writable: true, value: original });
  }
  return executed;
}

/** The statements of one scheduling loop that starts a run and queues its first task, of a try's start and end, and of the run's end. */
async function runLoopAndTry(store: Store): Promise<void> {
  const dag = serializedDag('loop', { tasks: [serializedTask('first'), serializedTask('second', { upstream: ['first'] })] });
  const run = await seedRun(store, dag, { runId: 'only', logicalDate: T0 });
  await anyDagNeedsRunCreation(store.db, { now: T0 });
  await inTransaction(store.db, async (trx) => {
    await claimDagsForRunCreation(trx, { now: T0, limit: 20 });
    await readDagRunBook(trx, 'loop');
    await logicalDatesAfter(trx, 'loop', null);
    await logicalDatesAfter(trx, 'loop', T0 - 1);
    await startQueuedRun(trx, run, T0);
    await setNextDagrun(trx, 'loop', null, '');
  });
  const key = { dagId: 'loop', runId: 'only', taskId: 'first', mapIndex: -1, tryNumber: 0 };
  await inTransaction(store.db, async (trx) => {
    const runs = await claimRunsToSchedule(trx, { limit: 20, now: T0 });
    await listTiStatesOfRuns(trx, runs);
    await setTaskInstanceStates(trx, [key], { from: 'none', to: 'scheduled', now: T0 });
    await lockPools(trx);
    await claimScheduledTis(trx, { limit: 32 });
    await setTaskInstanceStates(trx, [key], { from: 'scheduled', to: 'queued', now: T0 });
  });
  await nextSchedulingDeadline(store.db, T0);
  const api = createStoreTaskExecutionApi(store, { xcomMaxBytes: 1024, now: () => T0 });
  const tryKey = { ...key, tryNumber: 1 };
  await api.startTry(tryKey, { hostname: 'host', pid: 1 });
  await api.finishTry(tryKey, { state: 'success', returnValue: 42 });
  await finishRunningRun(store.db, run, 'success', T0);
}
