import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SerializedDag } from '../../src/contracts/serialized-dag.ts';
import type { FileParseResult } from '../../src/dag-processor/parse-protocol.ts';
import { syncParseResults } from '../../src/dag-processor/sync-results.ts';
import { getDag, listImportErrors } from '../../src/store/index.ts';
import { createTestStore, DIALECTS } from '../support/databases.ts';
import { serializedDag, T0 } from '../store/fixtures.ts';

function parsed(file: string, dags: SerializedDag[]): FileParseResult {
  return { file, ok: true, dags: dags.map((dag) => ({ ...dag, fileloc: file })), sourceCode: '', durationMs: 1 };
}

const OPTIONS = { now: T0, pausedAtCreation: false };

describe.each(DIALECTS)('syncParseResults on %s', (dialect) => {
  let store: Awaited<ReturnType<typeof createTestStore>>;
  beforeEach(async () => {
    store = await createTestStore(dialect);
  });
  afterEach(async () => store.drop());

  it('moves a DAG between two files synced in one batch, whatever their order', async () => {
    await syncParseResults(store, [parsed('/dags/a.ts', [serializedDag('mover')])], OPTIONS);
    const summary = await syncParseResults(store, [parsed('/dags/b.ts', [serializedDag('mover')]), parsed('/dags/a.ts', [])], OPTIONS);
    expect(await getDag(store.db, 'mover')).toMatchObject({ fileloc: '/dags/b.ts', isActive: true });
    expect(await listImportErrors(store.db)).toEqual([]);
    expect(summary.deactivatedDagIds).toEqual(['mover']);
  });

});

// SQLite does not enforce column lengths, so only the server databases can refuse a file's rows.
describe.each(DIALECTS.filter((dialect) => dialect !== 'sqlite'))('syncParseResults when %s refuses a row', (dialect) => {
  let store: Awaited<ReturnType<typeof createTestStore>>;
  beforeEach(async () => {
    store = await createTestStore(dialect);
  });
  afterEach(async () => store.drop());

  it('gives a file the store refuses its own import error and still writes the others', async () => {
    // SQLite does not enforce column lengths; Postgres and MySQL refuse an id longer than 250 characters.
    const tooLong = serializedDag(`d${'x'.repeat(300)}`);
    const summary = await syncParseResults(store, [parsed('/dags/good.ts', [serializedDag('good')]), parsed('/dags/bad.ts', [tooLong])], OPTIONS);
    expect(summary).toMatchObject({ dags: 1, importErrors: 1 });
    expect((await getDag(store.db, 'good'))?.isActive).toBe(true);
    const errors = await listImportErrors(store.db);
    expect(errors.map((error) => [error.filename, error.code])).toEqual([['/dags/bad.ts', 'DAG_IMPORT_FAILED']]);
  });
});
