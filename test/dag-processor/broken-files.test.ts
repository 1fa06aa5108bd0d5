import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, dagSource, eventually, type Harness } from './processor-harness.ts';

describe('DagProcessor and DAG files that fail', () => {
  let harness: Harness;
  afterEach(async () => harness.close());

  it('records a syntax error as an import error and clears it once the file is fixed', async () => {
    harness = await createHarness();
    await harness.start();
    harness.write('typo.ts', `import { dag } from 'updraft';\ndag({ dagId: 'typo' }, () => {\n`);
    const error = await eventually(() => harness.importError('typo.ts'), 'the import error');
    expect(error.code).toBe('DAG_IMPORT_FAILED');
    expect(error.message).toContain(harness.path('typo.ts'));

    harness.write('typo.ts', dagSource('typo'));
    await eventually(() => harness.dag('typo'), 'the fixed DAG');
    await eventually(async () => (await harness.importError('typo.ts')) === undefined, 'the import error to clear');
  });

  it('times out a file that never finishes importing while the other files parse', async () => {
    harness = await createHarness({ timeoutSeconds: 1 });
    harness.write('loops.ts', `import { dag } from 'updraft';\nwhile (true) {}\n`);
    harness.write('fine.ts', dagSource('fine'));
    await harness.start();
    expect((await harness.importError('loops.ts'))?.code).toBe('DAG_IMPORT_TIMEOUT');
    expect(await harness.dag('fine')).not.toBeNull();

    // The processor carries on watching after the timeout.
    harness.write('after.ts', dagSource('after'));
    await eventually(() => harness.dag('after'), 'a DAG written after the timeout');
  });

  it.each([
    ['missing-module.ts', `import { dag } from 'updraft';\nimport { nothing } from './not-there.ts';\ndag({ dagId: 'missing' }, () => nothing());\n`, 'DAG_IMPORT_FAILED', 'not-there.ts'],
    ['cycle.ts', `import { dag, EmptyOperator } from 'updraft';
dag({ dagId: 'cyclic' }, () => {
  const a = new EmptyOperator({ taskId: 'a' });
  const b = new EmptyOperator({ taskId: 'b' });
  a.then(b).then(a);
});\n`, 'DAG_CYCLE', 'cycle'],
    ['exits.ts', `process.exit(3);\n`, 'DAG_IMPORT_FAILED', 'exit code 3'],
    ['throws.ts', `throw new Error('config service is down');\n`, 'DAG_IMPORT_FAILED', 'config service is down'],
  ])('%s becomes an import error and the other DAGs carry on', async (name, source, code, messagePart) => {
    harness = await createHarness();
    harness.write('before.ts', dagSource('before'));
    harness.write(name, source);
    await harness.start();
    const error = await eventually(() => harness.importError(name), `the import error of ${name}`);
    expect(error.code).toBe(code);
    expect(error.message).toContain(messagePart);
    expect((await harness.dag('before'))?.isActive).toBe(true);

    harness.write('after.ts', dagSource('after'));
    await eventually(() => harness.dag('after'), 'a DAG written after the broken file');
  });

  it('keeps the DAGs of a file that breaks, and forgets its error when the file is deleted', async () => {
    harness = await createHarness();
    harness.write('flaky.ts', dagSource('flaky'));
    await harness.start();
    harness.write('flaky.ts', `throw new Error('broken edit');\n`);
    await eventually(() => harness.importError('flaky.ts'), 'the import error');
    expect((await harness.dag('flaky'))?.isActive).toBe(true);

    harness.remove('flaky.ts');
    await eventually(async () => (await harness.importError('flaky.ts')) === undefined, 'the error of the deleted file to clear');
    await eventually(async () => (await harness.dag('flaky'))?.isActive === false, 'its DAG to be deactivated');
  });
});
