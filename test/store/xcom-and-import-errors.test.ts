import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  clearImportError,
  clearImportErrorsNotIn,
  clearXComsForTask,
  getXCom,
  listImportErrors,
  listXComs,
  recordImportError,
  setXCom,
  type DagRun,
} from '../../src/store/index.ts';
import { createTestStore, DIALECTS } from '../support/databases.ts';
import { rejectsWithCode, seedRun, serializedDag, T0 } from './fixtures.ts';

type TestStore = Awaited<ReturnType<typeof createTestStore>>;

describe.each(DIALECTS)('xcom on %s', (dialect) => {
  let store: TestStore;
  let run: DagRun;
  const ti = (taskId: string, mapIndex = -1) => ({ dagId: 'etl', runId: run.runId, taskId, mapIndex });
  beforeEach(async () => {
    store = await createTestStore(dialect);
    run = await seedRun(store, serializedDag('etl'));
  });
  afterEach(async () => {
    await store.drop();
  });

  it('upserts, reads, lists by run or task instance, and clears a task’s XComs', async () => {
    await setXCom(store.db, { ...ti('extract'), key: 'return_value', json: '{"n":1}', now: T0 });
    await setXCom(store.db, { ...ti('extract'), key: 'return_value', json: '{"n":2}', now: T0 + 1 });
    await setXCom(store.db, { ...ti('extract'), key: 'Return_Value', json: '"case"', now: T0 });
    await setXCom(store.db, { ...ti('load', 0), key: 'return_value', json: '[0]', now: T0 });
    await setXCom(store.db, { ...ti('load', 1), key: 'return_value', json: '[1]', now: T0 });

    expect(await getXCom(store.db, { ...ti('extract'), key: 'return_value' })).toEqual({
      ...ti('extract'),
      dagRunId: run.id,
      key: 'return_value',
      value: { n: 2 },
      timestamp: T0 + 1,
    });
    expect((await listXComs(store.db, run)).map((xcom) => [xcom.taskId, xcom.mapIndex, xcom.key])).toEqual([
      ['extract', -1, 'Return_Value'],
      ['extract', -1, 'return_value'],
      ['load', 0, 'return_value'],
      ['load', 1, 'return_value'],
    ]);
    expect((await listXComs(store.db, { ...run, taskId: 'load', mapIndex: 1 })).map((xcom) => xcom.value)).toEqual([[1]]);
    expect(await clearXComsForTask(store.db, ti('extract'))).toBe(2);
    expect(await listXComs(store.db, { ...run, taskId: 'extract' })).toEqual([]);
  });

  it('stores values of a megabyte', async () => {
    const big = JSON.stringify('y'.repeat(1_000_000));
    await setXCom(store.db, { ...ti('extract'), key: 'big', json: big, now: T0 });
    expect((await getXCom(store.db, { ...ti('extract'), key: 'big' }))?.value).toHaveLength(1_000_000);
  });

  it('refuses an XCom for an unknown run', async () => {
    await rejectsWithCode(setXCom(store.db, { dagId: 'etl', runId: 'nope', taskId: 't', mapIndex: -1, key: 'k', json: '1', now: T0 }), 'DAG_RUN_NOT_FOUND');
  });
});

describe.each(DIALECTS)('import errors on %s', (dialect) => {
  let store: TestStore;
  beforeEach(async () => {
    store = await createTestStore(dialect);
  });
  afterEach(async () => {
    await store.drop();
  });

  it('records one error per file, replaces it, clears it and forgets vanished files', async () => {
    const error = { code: 'DAG_IMPORT_FAILED', message: 'SyntaxError', stacktrace: 'at line 1' };
    await recordImportError(store.db, '/dags/a.ts', error, T0);
    await recordImportError(store.db, '/dags/a.ts', { ...error, message: 'TypeError' }, T0 + 1);
    await recordImportError(store.db, '/dags/b.ts', error, T0);
    await recordImportError(store.db, '/dags/c.ts', error, T0);
    expect(await listImportErrors(store.db)).toEqual([
      { filename: '/dags/a.ts', code: 'DAG_IMPORT_FAILED', message: 'TypeError', stacktrace: 'at line 1', timestamp: T0 + 1 },
      { filename: '/dags/b.ts', code: 'DAG_IMPORT_FAILED', message: 'SyntaxError', stacktrace: 'at line 1', timestamp: T0 },
      { filename: '/dags/c.ts', code: 'DAG_IMPORT_FAILED', message: 'SyntaxError', stacktrace: 'at line 1', timestamp: T0 },
    ]);
    await clearImportError(store.db, '/dags/b.ts');
    expect(await clearImportErrorsNotIn(store.db, ['/dags/a.ts'])).toEqual(['/dags/c.ts']);
    expect((await listImportErrors(store.db)).map((entry) => entry.filename)).toEqual(['/dags/a.ts']);
  });
});
