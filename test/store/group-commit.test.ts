import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GroupCommit } from '../../src/store/group-commit.ts';
import type { BatchWrite, UnitBatch } from '../../src/store/unit-batch.ts';
import { getVariable, setVariable } from '../../src/store/index.ts';
import { createTestStore, DIALECTS } from '../support/databases.ts';

type TestStore = Awaited<ReturnType<typeof createTestStore>>;
type Trx = Parameters<Parameters<GroupCommit['run']>[0]>[0];

describe.each(DIALECTS)('group commit on %s', (dialect) => {
  let store: TestStore;
  let writes: GroupCommit;

  beforeEach(async () => {
    store = await createTestStore(dialect);
    writes = new GroupCommit(store.db);
  });

  afterEach(async () => {
    await store.drop();
  });

  const setIn = (key: string) => (trx: Trx) => setVariable(trx, store.secrets, { key, value: `${key}-value` });
  const value = async (key: string) => (await getVariable(store.db, store.secrets, key))?.value ?? null;

  it('commits the units of one turn in one transaction', async () => {
    const transactions = new Set<object>();
    const results = await Promise.all(
      ['one', 'two', 'three'].map((key) =>
        writes.run(async (trx) => {
          transactions.add(trx);
          await setIn(key)(trx);
          return key;
        }),
      ),
    );
    expect(results).toEqual(['one', 'two', 'three']);
    expect(transactions.size).toBe(1);
    expect(await Promise.all(['one', 'two', 'three'].map(value))).toEqual(['one-value', 'two-value', 'three-value']);
  });

  it('runs a batch with a failing unit again in savepoints: only that unit rolls back', async () => {
    const transactions = new Set<object>();
    const counting = <T>(work: (trx: Trx) => Promise<T>) =>
      writes.run(async (trx) => {
        transactions.add(trx);
        return work(trx);
      });
    const results = await Promise.allSettled([
      counting(async (trx) => {
        await setIn('first')(trx);
        return 'first done';
      }),
      counting(async (trx) => {
        await setIn('broken')(trx);
        throw new Error('this unit fails after writing');
      }),
      counting(async (trx) => {
        await setIn('third')(trx);
        return 'third done';
      }),
    ]);

    expect(results.map((result) => (result.status === 'fulfilled' ? result.value : (result.reason as Error).message))).toEqual([
      'first done',
      'this unit fails after writing',
      'third done',
    ]);
    // The batch ran without savepoints, rolled back when the unit threw, then ran in savepoints.
    expect(transactions.size).toBe(2);
    expect(await value('first')).toBe('first-value');
    expect(await value('broken')).toBeNull();
    expect(await value('third')).toBe('third-value');
  });

  const gathering = (written: string[][]): BatchWrite<string> => ({
    run: async (trx, keys) => {
      written.push(keys);
      for (const key of keys) await setIn(key)(trx);
    },
  });

  it('shares reads among the units of a batch and makes their gathered writes once for all', async () => {
    const written: string[][] = [];
    const variables = gathering(written);
    let reads = 0;
    const read = async () => (reads += 1);
    const results = await Promise.all(
      ['gathered-a', 'gathered-b', 'gathered-c'].map((key) =>
        writes.run(async (_trx, batch) => {
          batch.later(variables, key);
          return batch.once('shared', read);
        }),
      ),
    );
    expect(results).toEqual([1, 1, 1]);
    expect(written).toEqual([['gathered-a', 'gathered-b', 'gathered-c']]);
    expect(await value('gathered-c')).toBe('gathered-c-value');
  });

  it('leaves out the gathered writes of a unit that failed', async () => {
    const written: string[][] = [];
    const variables = gathering(written);
    const results = await Promise.allSettled([
      writes.run(async (_trx, batch) => batch.later(variables, 'kept-a')),
      writes.run(async (_trx, batch) => {
        batch.later(variables, 'dropped');
        throw new Error('fails after asking for a write');
      }),
      writes.run(async (_trx, batch) => batch.later(variables, 'kept-b')),
    ]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    // The batch rolled back when the unit threw, then ran each unit and its writes in a savepoint.
    expect(written).toEqual([['kept-a'], ['kept-b']]);
    expect(await Promise.all(['kept-a', 'dropped', 'kept-b'].map(value))).toEqual(['kept-a-value', null, 'kept-b-value']);
  });

  it('runs the after-commit actions of a batch once it has committed, before its units settle', async () => {
    const seen: string[] = [];
    const committedValue = async () => (await value('after-commit')) ?? 'not committed';
    const follow: BatchWrite<string> = {
      run: async (trx, keys, batch) => {
        await setIn('after-commit')(trx);
        batch.afterCommit(() => void committedValue().then((found) => seen.push(`action for ${keys.join('+')}: ${found}`)));
      },
    };
    await Promise.all(['a', 'b'].map((key) => writes.run(async (_trx, batch) => batch.later(follow, key)).then(() => seen.push(`settled ${key}`))));
    // The read the action started sees the commit; the action itself ran before the units settled.
    await expect.poll(() => seen.length).toBe(3);
    expect(seen.slice(0, 2)).toEqual(['settled a', 'settled b']);
    expect(seen[2]).toBe('action for a+b: after-commit-value');
  });

  it('drops the after-commit actions of a write that failed, and of a transaction that rolled back', async () => {
    const actions: string[] = [];
    const act = (name: string, fail: boolean): BatchWrite<string> => ({
      run: async (_trx, _keys, batch) => {
        batch.afterCommit(() => actions.push(name));
        if (fail) throw new Error(`${name} fails after asking for its action`);
      },
    });
    const kept = act('kept', false);
    const failing = act('dropped', true);
    const results = await Promise.allSettled([writes.run(async (_trx, batch) => batch.later(kept, 'x')), writes.run(async (_trx, batch) => batch.later(failing, 'y'))]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected']);
    expect(actions).toEqual(['kept']);

    await expect(writes.run(async (_trx, batch) => batch.later(act('alone', true), 'z'))).rejects.toThrow('alone fails');
    expect(actions).toEqual(['kept']);
  });

  it('runs a lone unit in a transaction of its own and rolls all of it back when it throws', async () => {
    await expect(
      writes.run(async (trx) => {
        await setIn('alone')(trx);
        throw new Error('lone failure');
      }),
    ).rejects.toThrow('lone failure');
    expect(await value('alone')).toBeNull();
    await expect(writes.run(async (trx) => setIn('later')(trx))).resolves.toBeUndefined();
    expect(await value('later')).toBe('later-value');
  });

  it('rejects every unit of a batch whose transaction cannot commit', async () => {
    // A unit that breaks the transaction itself (not only its savepoint) fails the whole batch.
    const results = await Promise.allSettled([
      writes.run(async (trx) => setIn('kept-out')(trx)),
      writes.run(async (trx) => {
        await sql`release savepoint unit_of_work`.execute(trx);
        await sql`release savepoint unit_of_work`.execute(trx);
      }),
    ]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    expect(await value('kept-out')).toBeNull();
  });

  it('runs the units a write hands over (joinWhile) in its transaction, each in a savepoint, settled after the commit', async () => {
    const transactions = new Set<object>();
    const seen: string[] = [];
    const joinedUnit = (key: string, fail: boolean) => async (trx: Trx) => {
      transactions.add(trx);
      await setIn(key)(trx);
      if (fail) throw new Error(`${key} fails`);
      return key;
    };
    let joined: Promise<unknown>[] = [];
    const handOver: BatchWrite<string> = {
      run: async (_trx, _keys, batch) => {
        await writes.joinWhile(batch, async () => {
          joined = [writes.run(joinedUnit('joined-ok', false)), writes.run(joinedUnit('joined-bad', true))];
          // Submitted after the first await: the next batch, not this one.
          await Promise.resolve();
          joined.push(writes.run(joinedUnit('too-late', false)));
        });
        batch.afterCommit(() => seen.push('after commit'));
      },
    };
    await writes.run(async (trx, batch) => {
      transactions.add(trx);
      batch.later(handOver, 'x');
    });
    seen.push('unit settled');
    const results = await Promise.allSettled(joined);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(seen).toEqual(['after commit', 'unit settled']);
    // The unit and the two joined ones shared one transaction; the late one had its own.
    expect(transactions.size).toBe(2);
    expect(await Promise.all(['joined-ok', 'joined-bad', 'too-late'].map(value))).toEqual(['joined-ok-value', null, 'too-late-value']);
  });

  it('rejects the joined units of a transaction that rolls back, and refuses joinWhile outside a writing batch', async () => {
    let joined: Promise<unknown> = Promise.resolve();
    const failing: BatchWrite<string> = {
      run: async (_trx, _keys, batch) => {
        await writes.joinWhile(batch, async () => {
          joined = writes.run(setIn('joined'));
        });
        throw new Error('the write fails after handing over');
      },
    };
    await expect(writes.run(async (_trx, batch) => batch.later(failing, 'x'))).rejects.toThrow('the write fails');
    await expect(joined).rejects.toThrow('the write fails');
    expect(await value('joined')).toBeNull();

    let outside: UnitBatch | null = null;
    await writes.run(async (_trx, batch) => {
      outside = batch;
    });
    await expect(writes.joinWhile(outside!, async () => undefined)).rejects.toMatchObject({ code: 'INTERNAL' });
  });
});
