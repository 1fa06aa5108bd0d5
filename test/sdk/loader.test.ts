import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { UpdraftError } from '../../src/contracts/errors.ts';
import { loadDagFile } from '../../src/sdk/index.ts';

const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/dags/${name}`, import.meta.url));

async function importError(name: string): Promise<UpdraftError> {
  const error: unknown = await loadDagFile(fixture(name)).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UpdraftError);
  return error as UpdraftError;
}

describe('loadDagFile', () => {
  it('returns the DAGs a file defines, with fileloc set to the file', async () => {
    const loaded = await loadDagFile(fixture('tutorial.ts'));
    expect(loaded.file).toBe(fixture('tutorial.ts'));
    expect(loaded.dags.map((d) => d.dagId)).toEqual(['tutorial']);
    const dag = loaded.dags[0]!;
    expect(dag.fileloc).toBe(fixture('tutorial.ts'));
    expect(dag.getTask('print_date').downstreamTaskIds).toEqual(new Set(['sleep', 'templated']));
  });

  it('returns every DAG of a file in definition order', async () => {
    const loaded = await loadDagFile(fixture('two-dags.ts'));
    expect(loaded.dags.map((d) => d.dagId)).toEqual(['first', 'second']);
  });

  it('returns the same DAGs when the module is already cached, and new objects with a new cacheBust', async () => {
    const first = await loadDagFile(fixture('two-dags.ts'));
    const again = await loadDagFile(fixture('two-dags.ts'));
    expect(again.dags).toEqual(first.dags);
    const busted = await loadDagFile(fixture('two-dags.ts'), { cacheBust: 'v2' });
    expect(busted.dags.map((d) => d.dagId)).toEqual(['first', 'second']);
    expect(busted.dags[0]).not.toBe(first.dags[0]);
  });

  it('keeps the code of a definition error and names the file', async () => {
    const error = await importError('cycle.ts');
    expect(error.code).toBe('DAG_CYCLE');
    expect(error.message).toContain(fixture('cycle.ts'));
    expect(error.message).toContain('a -> b -> c -> a');
    expect(error.details).toMatchObject({ file: fixture('cycle.ts'), dagId: 'cycle' });
  });

  it('reports duplicate task ids', async () => {
    const error = await importError('duplicate-task-ids.ts');
    expect(error.code).toBe('DAG_DUPLICATE_TASK_ID');
    expect(error.details).toMatchObject({ dagId: 'duplicate_task_ids', taskId: 'same', file: fixture('duplicate-task-ids.ts') });
  });

  it('reports a DAG id defined twice in one file', async () => {
    const error = await importError('duplicate-dag-ids.ts');
    expect(error.code).toBe('DAG_DUPLICATE_ID');
    expect(error.details).toMatchObject({ dagId: 'twice' });
  });

  it('reports an invalid cron expression', async () => {
    const error = await importError('invalid-cron.ts');
    expect(error.code).toBe('DAG_INVALID_SCHEDULE');
    expect(error.message).toContain('invalid_cron');
  });

  it('wraps other errors as DAG_IMPORT_FAILED with the original message and stack', async () => {
    const error = await importError('throws-at-import.ts');
    expect(error.code).toBe('DAG_IMPORT_FAILED');
    expect(error.message).toContain('the config service is down');
    expect(error.message).toContain(fixture('throws-at-import.ts'));
    expect(String(error.details['stack'])).toContain('TypeError');
  });

  it('rejects relative paths', async () => {
    await expect(loadDagFile('dags/x.ts')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('reports a file that does not exist as DAG_IMPORT_FAILED', async () => {
    const error = await importError('missing.ts');
    expect(error.code).toBe('DAG_IMPORT_FAILED');
  });
});
