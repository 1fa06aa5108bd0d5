import { afterEach, describe, expect, it } from 'vitest';
import { DAG_PROCESSOR_JOB_TYPE } from '../../src/dag-processor/index.ts';
import { getLatestSerializedDag, listAliveJobs, listDagVersions } from '../../src/store/index.ts';
import { createHarness, dagSource, eventually, type Harness } from './processor-harness.ts';

describe('DagProcessor watching a folder', () => {
  let harness: Harness;
  afterEach(async () => harness.close());

  it('parses existing files at start, then reflects new, changed and deleted files', async () => {
    harness = await createHarness();
    harness.write('existing.ts', dagSource('existing'));
    await harness.start();
    expect((await harness.dag('existing'))?.isActive).toBe(true);

    const file = harness.write('new.ts', dagSource('fresh'));
    const fresh = await eventually(() => harness.dag('fresh'), 'the new DAG');
    expect(fresh).toMatchObject({ fileloc: file, isActive: true });

    harness.write('new.ts', dagSource('fresh', 'b'));
    await eventually(async () => (await listDagVersions(harness.store.db, 'fresh')).length === 2, 'a second version');
    expect((await getLatestSerializedDag(harness.store.db, 'fresh'))?.dag.tasks.map((task) => task.taskId)).toEqual(['task_b']);

    harness.remove('new.ts');
    await eventually(async () => (await harness.dag('fresh'))?.isActive === false, 'the DAG of the deleted file to be deactivated');
    expect((await harness.dag('existing'))?.isActive).toBe(true);
    expect(harness.synced.length).toBeGreaterThanOrEqual(4);
    expect(harness.wakeUps()).toBe(harness.synced.length);
  });

  it('parses a file written twice in a row once, with its latest content', async () => {
    harness = await createHarness();
    await harness.start();
    harness.write('twice.ts', dagSource('twice', 'first'));
    harness.write('twice.ts', dagSource('twice', 'second'));
    await eventually(() => harness.dag('twice'), 'the DAG');
    const versions = await listDagVersions(harness.store.db, 'twice');
    expect(versions).toHaveLength(1);
    expect((await getLatestSerializedDag(harness.store.db, 'twice'))?.dag.tasks.map((task) => task.taskId)).toEqual(['task_second']);
  });

  it('picks up files in new subfolders', async () => {
    harness = await createHarness();
    await harness.start();
    harness.write('team/nested/deep.ts', dagSource('deep'));
    await eventually(() => harness.dag('deep'), 'the DAG in a new subfolder');
    harness.remove('team');
    await eventually(async () => (await harness.dag('deep'))?.isActive === false, 'the DAG of the removed folder to be deactivated');
  });

  it('respects .updraftignore, including edits made while it runs', async () => {
    harness = await createHarness();
    harness.write('.updraftignore', 'skipped_*.ts\n');
    harness.write('skipped_one.ts', dagSource('skipped_one'));
    harness.write('kept.ts', dagSource('kept'));
    await harness.start();
    expect(await harness.dag('kept')).not.toBeNull();
    expect(await harness.dag('skipped_one')).toBeNull();

    harness.write('skipped_two.ts', dagSource('skipped_two'));
    harness.write('later.ts', dagSource('later'));
    await eventually(() => harness.dag('later'), 'a file written after the ignored one');
    expect(await harness.dag('skipped_two')).toBeNull();

    harness.write('.updraftignore', 'skipped_*.ts\nkept.ts\n');
    await eventually(async () => (await harness.dag('kept'))?.isActive === false, 'the newly ignored DAG to be deactivated');
  });

  it('follows a DAG that moves from one file to another', async () => {
    harness = await createHarness();
    harness.write('old_home.ts', dagSource('mover'));
    await harness.start();
    // The new file comes first: while the old one still defines the DAG, the id is a duplicate...
    const newHome = harness.write('new_home.ts', dagSource('mover', 'moved'));
    await eventually(async () => (await harness.importError('new_home.ts'))?.code === 'DAG_DUPLICATE_ID', 'the duplicate id error');
    // ...until the old file lets go of it.
    harness.write('old_home.ts', dagSource('other'));
    await eventually(async () => (await harness.dag('mover'))?.fileloc === newHome, 'the DAG to move to its new file');
    await eventually(async () => (await harness.importError('new_home.ts')) === undefined, 'the duplicate id error to clear');
    expect((await harness.dag('mover'))?.isActive).toBe(true);
    expect((await harness.dag('other'))?.isActive).toBe(true);
  });

  it('deactivates at start the DAGs of files deleted while it was not running, and heartbeats a job', async () => {
    harness = await createHarness();
    harness.write('gone.ts', dagSource('gone'));
    harness.write('stays.ts', dagSource('stays'));
    await harness.start();
    const alive = await listAliveJobs(harness.store.db, { since: 0, jobType: DAG_PROCESSOR_JOB_TYPE });
    expect(alive.map((job) => job.pid)).toEqual([process.pid]);
    await harness.processor.stop();
    expect(await listAliveJobs(harness.store.db, { since: 0, jobType: DAG_PROCESSOR_JOB_TYPE })).toEqual([]);

    harness.remove('gone.ts');
    await harness.restart();
    expect((await harness.dag('gone'))?.isActive).toBe(false);
    expect((await harness.dag('stays'))?.isActive).toBe(true);
  });
});
