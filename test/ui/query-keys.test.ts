import { describe, expect, test } from 'vitest';
import { keys, keysToInvalidate } from '../../ui/src/api/query-keys.ts';

/** TanStack Query invalidates every query whose key starts with the given key. */
const invalidates = (event: string, data: Record<string, unknown>, queryKey: readonly unknown[]): boolean =>
  keysToInvalidate(event, data).some((prefix) => prefix.every((part, index) => JSON.stringify(part) === JSON.stringify(queryKey[index])));

describe('keysToInvalidate (SSE event -> stale queries)', () => {
  const ti = { dag_id: 'tutorial', run_id: 'r1', task_id: 'templated', state: 'success', try_number: 1 };

  test('a task-instance change refreshes its DAG grid and everything about its run, nothing else', () => {
    expect(invalidates('task_instance', ti, keys.gridPage('tutorial', 25))).toBe(true);
    expect(invalidates('task_instance', ti, keys.taskInstance('tutorial', 'r1', 'templated'))).toBe(true);
    expect(invalidates('task_instance', ti, keys.tries('tutorial', 'r1', 'templated'))).toBe(true);
    expect(invalidates('task_instance', ti, keys.runTasks('tutorial', 'r1'))).toBe(true);
    expect(invalidates('task_instance', ti, keys.run('tutorial', 'r2'))).toBe(false);
    expect(invalidates('task_instance', ti, keys.gridPage('other', 25))).toBe(false);
    expect(invalidates('task_instance', ti, keys.dagList({}))).toBe(false);
  });

  test('a run change refreshes the grid, the recent-run dots and run lists', () => {
    const run = { dag_id: 'tutorial', run_id: 'r1', state: 'success' };
    expect(invalidates('dag_run', run, keys.gridPage('tutorial', 100))).toBe(true);
    expect(invalidates('dag_run', run, keys.recentRuns('tutorial'))).toBe(true);
    expect(invalidates('dag_run', run, keys.runList({ dagId: '', state: '', offset: 0 }))).toBe(true);
    expect(invalidates('dag_run', run, keys.variables())).toBe(false);
  });

  test('DAG and import-error events refresh the DAG list and the banner', () => {
    expect(invalidates('dag', { dag_id: 'tutorial', is_paused: false }, keys.dagList({ search: '' }))).toBe(true);
    expect(invalidates('dag', { dag_id: 'tutorial' }, keys.dagDetails('tutorial'))).toBe(true);
    expect(invalidates('import_errors', { count: 0 }, keys.importErrors())).toBe(true);
    expect(keysToInvalidate('heartbeat', {})).toEqual([]);
  });
});
