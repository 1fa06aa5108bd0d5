import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  deactivateDagsNotIn,
  deactivateDagsOfMissingFiles,
  deleteDag,
  getDag,
  getLatestSerializedDag,
  getSerializedDagVersion,
  listDags,
  listDagVersions,
  listTaskInstances,
  listTries,
  listXComs,
  replaceTags,
  saveSerializedDag,
  setPaused,
  upsertDag,
} from '../../src/store/index.ts';
import { createTestStore, DIALECTS } from '../support/databases.ts';
import { seedDag, seedRun, serializedDag, serializedTask, T0 } from './fixtures.ts';
import { createStoreTaskExecutionApi, setTaskInstanceState } from '../../src/store/index.ts';

type TestStore = Awaited<ReturnType<typeof createTestStore>>;

describe.each(DIALECTS)('dags on %s', (dialect) => {
  let store: TestStore;
  beforeEach(async () => {
    store = await createTestStore(dialect);
  });
  afterEach(async () => {
    await store.drop();
  });

  it('upserts a DAG from its serialized form, with tags and the version hash', async () => {
    const dag = serializedDag('etl', { tags: ['b', 'a'], owner: 'data', description: 'Nightly', maxActiveRuns: 2 });
    const versionHash = await seedDag(store, dag, T0);
    expect(await getDag(store.db, 'etl')).toEqual({
      dagId: 'etl',
      fileloc: '/dags/etl.ts',
      isPaused: false,
      isActive: true,
      lastParsedAt: T0,
      owners: 'data',
      description: 'Nightly',
      timetableSummary: '@daily',
      maxActiveRuns: 2,
      maxActiveTasks: 16,
      latestVersionHash: versionHash,
      nextDagrunLogicalDate: null,
      nextDagrunDataIntervalStart: null,
      nextDagrunDataIntervalEnd: null,
      nextDagrunCreateAfter: null,
      tags: ['a', 'b'],
    });
  });

  it('keeps the paused flag of an existing DAG and reactivates it on upsert', async () => {
    const dag = serializedDag('etl');
    await upsertDag(store.db, dag, { versionHash: 'h1', now: T0, pausedOnCreation: true });
    await setPaused(store.db, 'etl', false);
    await deactivateDagsOfMissingFiles(store.db, []);
    await upsertDag(store.db, { ...dag, tags: ['new'] }, { versionHash: 'h2', now: T0 + 1, pausedOnCreation: true });
    const stored = await getDag(store.db, 'etl');
    expect([stored?.isPaused, stored?.isActive, stored?.tags, stored?.latestVersionHash, stored?.lastParsedAt]).toEqual([false, true, ['new'], 'h2', T0 + 1]);
  });

  it('setPaused reports whether the DAG exists', async () => {
    await seedDag(store, serializedDag('etl'));
    expect(await setPaused(store.db, 'etl', true)).toBe(true);
    expect((await getDag(store.db, 'etl'))?.isPaused).toBe(true);
    expect(await setPaused(store.db, 'nope', true)).toBe(false);
  });

  it('lists with filters, search, tags, ordering and paging', async () => {
    for (const [dagId, tags] of [['alpha_etl', ['etl']], ['beta_ETL', ['etl', 'prod']], ['gamma', ['prod']], ['delta_100%', []]] as const) {
      await seedDag(store, serializedDag(dagId, { tags: [...tags] }));
    }
    await setPaused(store.db, 'gamma', true);
    const ids = async (options: Parameters<typeof listDags>[1]) => (await listDags(store.db, options)).dags.map((dag) => dag.dagId);

    expect(await ids({ limit: 10, offset: 0 })).toEqual(['alpha_etl', 'beta_ETL', 'delta_100%', 'gamma']);
    expect(await ids({ limit: 10, offset: 0, orderBy: '-dagId' })).toEqual(['gamma', 'delta_100%', 'beta_ETL', 'alpha_etl']);
    expect(await ids({ limit: 10, offset: 0, paused: true })).toEqual(['gamma']);
    expect(await ids({ limit: 10, offset: 0, search: 'etl' })).toEqual(['alpha_etl', 'beta_ETL']);
    // LIKE wildcards in the search text are taken literally.
    expect(await ids({ limit: 10, offset: 0, search: '0%' })).toEqual(['delta_100%']);
    expect(await ids({ limit: 10, offset: 0, search: 'alph_' })).toEqual([]);
    expect(await ids({ limit: 10, offset: 0, tags: ['prod'] })).toEqual(['beta_ETL', 'gamma']);
    const page = await listDags(store.db, { limit: 2, offset: 1 });
    expect([page.dags.map((dag) => dag.dagId), page.total]).toEqual([['beta_ETL', 'delta_100%'], 4]);
    expect(page.dags[0]?.tags).toEqual(['etl', 'prod']);
  });

  it('deactivates DAGs a file stopped defining, and DAGs of vanished files', async () => {
    await seedDag(store, serializedDag('kept', { fileloc: '/dags/multi.ts' }));
    await seedDag(store, serializedDag('dropped', { fileloc: '/dags/multi.ts' }));
    await seedDag(store, serializedDag('elsewhere', { fileloc: '/dags/other.ts' }));
    expect(await deactivateDagsNotIn(store.db, '/dags/multi.ts', ['kept'])).toEqual(['dropped']);
    expect(await deactivateDagsOfMissingFiles(store.db, ['/dags/multi.ts'])).toEqual(['elsewhere']);
    expect((await listDags(store.db, { limit: 10, offset: 0, active: true })).dags.map((dag) => dag.dagId)).toEqual(['kept']);
  });

  it('replaceTags makes the tags exactly the given set', async () => {
    await seedDag(store, serializedDag('etl', { tags: ['a', 'b'] }));
    await replaceTags(store.db, 'etl', ['c', 'c']);
    expect((await getDag(store.db, 'etl'))?.tags).toEqual(['c']);
    await replaceTags(store.db, 'etl', []);
    expect((await getDag(store.db, 'etl'))?.tags).toEqual([]);
  });

  it('deleteDag removes its versions, runs, task instances, tries and XComs, and nothing of other DAGs', async () => {
    const doomed = serializedDag('doomed', { tags: ['x'] });
    const survivor = serializedDag('survivor');
    const run = await seedRun(store, doomed);
    const otherRun = await seedRun(store, survivor);
    const api = createStoreTaskExecutionApi(store, { xcomMaxBytes: 1000, now: () => T0 });
    for (const target of [run, otherRun]) {
      const key = { dagId: target.dagId, runId: target.runId, taskId: 'extract', mapIndex: -1, tryNumber: 1 };
      await setTaskInstanceState(store.db, key, { from: ['none'], to: 'queued' });
      await api.startTry(key, { hostname: 'h', pid: 1 });
      await api.pushXCom(key, 'return_value', 42);
    }

    expect(await deleteDag(store.db, 'doomed')).toBe(true);
    expect(await deleteDag(store.db, 'doomed')).toBe(false);
    const ti = { dagId: 'doomed', runId: run.runId, taskId: 'extract', mapIndex: -1 };
    expect(await getDag(store.db, 'doomed')).toBeNull();
    expect(await listDagVersions(store.db, 'doomed')).toEqual([]);
    expect(await store.db.selectFrom('dag_run').select('run_id').where('dag_id', '=', 'doomed').execute()).toEqual([]);
    expect(await store.db.selectFrom('dag_tag').selectAll().where('dag_id', '=', 'doomed').execute()).toEqual([]);
    expect(await listTaskInstances(store.db, run)).toEqual([]);
    expect(await listTries(store.db, ti)).toEqual([]);
    expect(await listXComs(store.db, run)).toEqual([]);

    expect(await getDag(store.db, 'survivor')).not.toBeNull();
    expect(await listTaskInstances(store.db, otherRun)).toHaveLength(2);
    expect(await listXComs(store.db, otherRun)).toHaveLength(1);
  });
});

describe.each(DIALECTS)('serialized DAG versions on %s', (dialect) => {
  let store: TestStore;
  beforeEach(async () => {
    store = await createTestStore(dialect);
  });
  afterEach(async () => {
    await store.drop();
  });

  it('numbers versions when the content hash changes and reuses a version for the same content', async () => {
    const v1 = serializedDag('etl');
    const first = await saveSerializedDag(store.db, v1, 'src 1', T0);
    await upsertDag(store.db, v1, { versionHash: first.versionHash, now: T0, pausedOnCreation: false });
    expect(first).toMatchObject({ versionNumber: 1, changed: true });
    expect(first.versionHash).toMatch(/^[0-9a-f]{64}$/);

    // Same content, keys built in another order, new source: no new version.
    const reordered = Object.fromEntries(Object.entries(v1).reverse()) as typeof v1;
    expect(await saveSerializedDag(store.db, reordered, 'src 1 with a comment', T0 + 1)).toEqual({ ...first, changed: false });

    const v2 = serializedDag('etl', { tasks: [...v1.tasks, serializedTask('report')] });
    const second = await saveSerializedDag(store.db, v2, 'src 2', T0 + 2);
    expect(second).toMatchObject({ versionNumber: 2, changed: true });
    expect((await getDag(store.db, 'etl'))?.latestVersionHash).toBe(second.versionHash);

    // Reverting to the first content points back at version 1.
    expect(await saveSerializedDag(store.db, v1, 'src 1', T0 + 3)).toEqual({ ...first, changed: true });
    expect((await getLatestSerializedDag(store.db, 'etl'))?.versionNumber).toBe(1);
    expect((await listDagVersions(store.db, 'etl')).map((version) => version.versionNumber)).toEqual([2, 1]);
  });

  it('returns the stored document, source and metadata of a version', async () => {
    const dag = serializedDag('etl', { params: { limit: { default: 5, schema: { type: 'integer' } } } });
    const versionHash = await seedDag(store, dag, T0);
    const stored = await getSerializedDagVersion(store.db, 'etl', versionHash);
    expect(stored).toEqual({ dagId: 'etl', versionHash, versionNumber: 1, fileloc: '/dags/etl.ts', createdAt: T0, dag, sourceCode: '// source of etl' });
    expect(await getLatestSerializedDag(store.db, 'etl')).toEqual(stored);
    expect(await getSerializedDagVersion(store.db, 'etl', 'f'.repeat(64))).toBeNull();
    expect(await getLatestSerializedDag(store.db, 'unknown')).toBeNull();
  });
});
