import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createDagRun,
  createDagRunWithTaskInstances,
  createTaskInstances,
  inTransaction,
  listDagRuns,
  listTaskInstances,
  type NewDagRun,
  type NewTaskInstance,
} from '../../src/store/index.ts';
import { createTestStore, DIALECTS } from '../support/databases.ts';
import { DAY, rejectsWithCode, seedDag, serializedDag, serializedTask, T0 } from './fixtures.ts';

type TestStore = Awaited<ReturnType<typeof createTestStore>>;

/** Tasks whose options all differ from the defaults, so that a column taken from the wrong place shows. */
const TASKS: NewTaskInstance[] = [
  serializedTask('extract', { retries: 3, pool: 'etl_pool', poolSlots: 2, queue: 'io', priorityWeight: 7, operator: 'PythonOperator', executor: 'LocalExecutor' }),
  serializedTask('load', { retries: 0, priorityWeight: 2 }),
];

describe.each(DIALECTS)('creating a run with its task instances on %s', (dialect) => {
  let store: TestStore;
  let versionHash: string;
  const newRun = (runId: string, logicalDate: number): NewDagRun => ({
    dagId: 'etl',
    runId,
    runType: 'manual',
    logicalDate,
    dataIntervalStart: logicalDate,
    dataIntervalEnd: logicalDate + DAY,
    runAfter: logicalDate,
    conf: { source: 's3' },
    dagVersionHash: versionHash,
    triggeredBy: 'api',
    now: T0 + 5,
  });

  beforeEach(async () => {
    store = await createTestStore(dialect);
    versionHash = await seedDag(store, serializedDag('etl'));
  });
  afterEach(async () => {
    await store.drop();
  });

  it('writes the same run and task instances as creating them one after the other', async () => {
    const together = await createDagRunWithTaskInstances(store.db, newRun('together', T0), TASKS);
    const apart = await createDagRun(store.db, newRun('apart', T0 + DAY));
    await createTaskInstances(store.db, apart, TASKS);

    expect(together).toMatchObject({ runId: 'together', state: 'queued', logicalDate: T0, queuedAt: T0 + 5, conf: { source: 's3' }, triggeredBy: 'api' });
    const { id: _togetherId, runId: _together, logicalDate: _t0, dataIntervalStart: _s0, dataIntervalEnd: _e0, runAfter: _a0, ...togetherRest } = together;
    const { id: _apartId, runId: _apart, logicalDate: _t1, dataIntervalStart: _s1, dataIntervalEnd: _e1, runAfter: _a1, ...apartRest } = apart;
    expect(togetherRest).toEqual(apartRest);

    const withoutRunId = (tis: Awaited<ReturnType<typeof listTaskInstances>>) => tis.map(({ runId: _runId, ...rest }) => rest);
    const togetherTis = await listTaskInstances(store.db, together);
    expect(withoutRunId(togetherTis)).toEqual(withoutRunId(await listTaskInstances(store.db, apart)));
    expect(togetherTis.find((ti) => ti.taskId === 'extract')).toMatchObject({
      state: 'none',
      tryNumber: 0,
      maxTries: 3,
      pool: 'etl_pool',
      poolSlots: 2,
      queue: 'io',
      priorityWeight: 7,
      operator: 'PythonOperator',
      executor: 'LocalExecutor',
      hostname: '',
      dagVersionHash: versionHash,
    });
    const logicalDates = await store.db.selectFrom('task_instance').select(['run_id', 'run_logical_date']).where('task_id', '=', 'load').orderBy('run_id').execute();
    expect(logicalDates.map((row) => [row.run_id, Number(row.run_logical_date)])).toEqual([
      ['apart', T0 + DAY],
      ['together', T0],
    ]);
  });

  it('refuses a taken run id or logical date with DAG_RUN_EXISTS and writes nothing', async () => {
    await createDagRunWithTaskInstances(store.db, newRun('first', T0), TASKS.slice(0, 1));
    await rejectsWithCode(createDagRunWithTaskInstances(store.db, newRun('first', T0 + DAY), TASKS), 'DAG_RUN_EXISTS');
    await rejectsWithCode(createDagRunWithTaskInstances(store.db, newRun('same_date', T0), TASKS), 'DAG_RUN_EXISTS');

    const runs = await listDagRuns(store.db, { dagId: 'etl', limit: 10, offset: 0 });
    expect(runs.runs.map((run) => [run.runId, run.logicalDate])).toEqual([['first', T0]]);
    expect((await listTaskInstances(store.db, { dagId: 'etl', runId: 'first' })).map((ti) => ti.taskId)).toEqual(['extract']);
    expect(await listTaskInstances(store.db, { dagId: 'etl', runId: 'same_date' })).toEqual([]);
  });

  it("leaves the caller's transaction usable after a refusal", async () => {
    await createDagRunWithTaskInstances(store.db, newRun('taken', T0), TASKS);
    await inTransaction(store.db, async (trx) => {
      await rejectsWithCode(createDagRunWithTaskInstances(trx, newRun('taken', T0 + DAY), TASKS), 'DAG_RUN_EXISTS');
      await createDagRunWithTaskInstances(trx, newRun('next', T0 + 2 * DAY), TASKS);
    });
    expect((await listTaskInstances(store.db, { dagId: 'etl', runId: 'next' })).map((ti) => ti.taskId)).toEqual(['extract', 'load']);
  });
});
