import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_DAGS_FOLDER } from '../../src/cli/dag-folders.ts';
import { createForegroundHarness, type ForegroundHarness } from '../support/foreground.ts';

/** Every bundled example DAG is executed here, so the examples can never rot. */
describe('example DAGs', () => {
  let harness: ForegroundHarness;

  beforeAll(async () => {
    harness = await createForegroundHarness([EXAMPLE_DAGS_FOLDER]);
  });
  afterAll(() => harness.close());

  it('tutorial: print_date, then sleep and the templated echo, all succeed', async () => {
    const result = await harness.run('tutorial', '2015-06-01T00:00:00Z');
    expect(result.state).toBe('success');
    expect(Object.fromEntries(result.taskStates)).toEqual({ print_date: 'success', sleep: 'success', templated: 'success' });
    const log = harness.readLog('tutorial', result.runId, 'templated');
    expect(log.match(/^.*\b2015-06-08$/gm)?.filter((line) => !line.includes('echo'))).toHaveLength(5);
  });

  it('taskflow_etl: typed values flow extract -> transform -> load', async () => {
    const result = await harness.run('taskflow_etl', '2024-01-02T00:00:00Z');
    expect(result.state).toBe('success');
    const loaded = await harness.api.pullXCom({ dagId: 'taskflow_etl', runId: result.runId, taskId: 'load', key: 'return_value' });
    expect(loaded).toBe('Loaded 3 orders worth 1236.70');
    expect(await harness.api.pullXCom({ dagId: 'taskflow_etl', runId: result.runId, taskId: 'transform', key: 'return_value' })).toEqual({ orders: 3, total: 1236.7 });
  });

  it('branching: the small path runs, the big path is skipped, the join still runs', async () => {
    const result = await harness.run('branching', '2024-01-01T00:00:00Z');
    expect(result.state).toBe('success');
    expect(Object.fromEntries(result.taskStates)).toEqual({
      start: 'success',
      choose_path: 'success',
      small_load: 'success',
      big_load: 'skipped',
      join: 'success',
    });
    expect(harness.readLog('branching', result.runId, 'small_load')).toContain('small load of 10 rows');
  });

  it('branching with conf rows=5000 takes the big path', async () => {
    const result = await harness.run('branching', '2024-01-02T00:00:00Z', { rows: 5000 });
    expect(result.taskStates.get('big_load')).toBe('success');
    expect(result.taskStates.get('small_load')).toBe('skipped');
    expect(result.taskStates.get('join')).toBe('success');
  });
});
