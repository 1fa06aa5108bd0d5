import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TaskTryKey } from '../../src/contracts/task-instance.ts';
import {
  createStoreTaskExecutionApi,
  getTaskInstance,
  getVariable,
  inSavepoint,
  setTaskInstanceState,
  setVariable,
  type DagRun,
  type TryEndsFollowUp,
} from '../../src/store/index.ts';
import { createTestStore, DIALECTS } from '../support/databases.ts';
import { rejectsWithCode, seedRun, serializedDag, serializedTask } from './fixtures.ts';

type TestStore = Awaited<ReturnType<typeof createTestStore>>;

const HOST = { hostname: 'worker-1', pid: 4242 };

describe.each(DIALECTS)('try-end follow-ups and savepoints on %s', (dialect) => {
  let store: TestStore;
  let run: DagRun;
  const tryKey = (taskId: string): TaskTryKey => ({ dagId: 'etl', runId: run.runId, taskId, mapIndex: -1, tryNumber: 1 });
  const variable = async (key: string) => (await getVariable(store.db, store.secrets, key))?.value ?? null;

  beforeEach(async () => {
    store = await createTestStore(dialect);
    run = await seedRun(store, serializedDag('etl', { tasks: [serializedTask('extract'), serializedTask('load')] }));
    for (const taskId of ['extract', 'load']) await setTaskInstanceState(store.db, tryKey(taskId), { from: ['none'], to: 'queued' });
  });
  afterEach(async () => {
    await store.drop();
  });

  it('undoes the writes of work that throws inside a savepoint, and keeps the rest of the transaction', async () => {
    await store.db.transaction().execute(async (trx) => {
      await setVariable(trx, store.secrets, { key: 'before', value: 'kept' });
      await expect(
        inSavepoint(trx, 'try_out', async () => {
          await setVariable(trx, store.secrets, { key: 'inside', value: 'undone' });
          throw new Error('work failed');
        }),
      ).rejects.toThrow('work failed');
      const second = inSavepoint(trx, 'try_again', async () => {
        await setVariable(trx, store.secrets, { key: 'second', value: 'kept too' });
        return 'done';
      });
      expect(await second).toBe('done');
    });
    expect([await variable('before'), await variable('inside'), await variable('second')]).toEqual(['kept', null, 'kept too']);
  });

  if (dialect === 'postgres') {
    it('refuses a follow-up: Postgres records the usual ends in batched statements, outside a transaction', async () => {
      const refused = await rejectsWithCode(
        (async () => createStoreTaskExecutionApi(store, { xcomMaxBytes: 1024, followUpEnds: async () => null }))(),
        'INVALID_ARGUMENT',
      );
      expect(refused.hint).toContain('SQLite and MySQL');
    });
    return;
  }

  it('follows up the ends of the tries that report together, once, inside the transaction that records them', async () => {
    const calls: { ended: string[]; statesSeen: (string | undefined)[] }[] = [];
    const order: string[] = [];
    const followUpEnds: TryEndsFollowUp = async (trx, ended) => {
      const states = await Promise.all(ended.map(async (key) => (await getTaskInstance(trx, key))?.state));
      calls.push({ ended: ended.map((key) => key.taskId), statesSeen: states });
      // Its writes commit with the ends.
      await setVariable(trx, store.secrets, { key: 'followed_up', value: ended.map((key) => key.taskId).join(',') });
      return { handOver: async () => undefined, afterCommit: () => order.push('after commit') };
    };
    const api = createStoreTaskExecutionApi(store, { xcomMaxBytes: 1024, followUpEnds });
    await Promise.all([api.startTry(tryKey('extract'), HOST), api.startTry(tryKey('load'), HOST)]);
    expect(calls).toEqual([]);

    await Promise.all([
      api.finishTry(tryKey('extract'), { state: 'success', returnValue: 1 }).then(() => order.push('extract recorded')),
      api.finishTry(tryKey('load'), { state: 'failed', error: { code: 'TASK_FAILED', message: 'boom' } }).then(() => order.push('load recorded')),
    ]);
    expect(calls).toEqual([{ ended: ['extract', 'load'], statesSeen: ['success', 'failed'] }]);
    expect(order).toEqual(['after commit', 'extract recorded', 'load recorded']);
    expect(await variable('followed_up')).toBe('extract,load');
  });

  it('does not follow up an end it refuses', async () => {
    const actions: string[] = [];
    const api = createStoreTaskExecutionApi(store, { xcomMaxBytes: 1024, followUpEnds: async () => ({ handOver: async () => undefined, afterCommit: () => actions.push('after commit') }) });
    // `load` never started: its end is refused before anything is written.
    await rejectsWithCode(api.finishTry(tryKey('load'), { state: 'success' }), 'INVALID_STATE_TRANSITION');
    expect(actions).toEqual([]);
    expect((await getTaskInstance(store.db, tryKey('load')))?.state).toBe('queued');
  });

  it('runs the starts its hand-over submits in the same transaction, settled right after the commit', async () => {
    const order: string[] = [];
    const api = createStoreTaskExecutionApi(store, {
      xcomMaxBytes: 1024,
      followUpEnds: async () => ({
        handOver: async () => {
          void api.startTry(tryKey('load'), HOST).then((context) => order.push(`started ${context.ti.taskId}`));
        },
        afterCommit: () => order.push('after commit'),
      }),
    });
    await api.startTry(tryKey('extract'), HOST);
    await api.finishTry(tryKey('extract'), { state: 'success' }).then(() => order.push('extract recorded'));
    // A start in a transaction of its own would settle after the end it followed.
    expect(order).toEqual(['after commit', 'started load', 'extract recorded']);
    expect((await getTaskInstance(store.db, tryKey('load')))?.state).toBe('running');
  });

  it('rolls back the starts that joined a transaction that rolls back', async () => {
    let joinedStart: Promise<unknown> = Promise.resolve();
    const api = createStoreTaskExecutionApi(store, {
      xcomMaxBytes: 1024,
      followUpEnds: async () => ({
        handOver: async () => {
          joinedStart = api.startTry(tryKey('load'), HOST);
          throw new Error('hand-over failed');
        },
        afterCommit: () => undefined,
      }),
    });
    await api.startTry(tryKey('extract'), HOST);
    await expect(api.finishTry(tryKey('extract'), { state: 'success' })).rejects.toThrow('hand-over failed');
    await expect(joinedStart).rejects.toThrow('hand-over failed');
    expect((await getTaskInstance(store.db, tryKey('extract')))?.state).toBe('running');
    expect((await getTaskInstance(store.db, tryKey('load')))?.state).toBe('queued');
  });
});
