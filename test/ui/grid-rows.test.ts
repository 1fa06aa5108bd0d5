import { describe, expect, test } from 'vitest';
import { buildGridRows, dependencyOrder, summarizeStates } from '../../ui/src/lib/grid-rows.ts';

const groups = [
  { groupId: 'extract', parent: null },
  { groupId: 'extract.api', parent: 'extract' },
  { groupId: 'load', parent: null },
];
// DAG order interleaves the groups: rows must still keep each group's tasks together.
const taskIds = ['start', 'extract.api.orders', 'load.orders', 'extract.files', 'extract.api.users', 'end'];
const groupOf = new Map<string, string | null>([
  ['start', null],
  ['extract.api.orders', 'extract.api'],
  ['load.orders', 'load'],
  ['extract.files', 'extract'],
  ['extract.api.users', 'extract.api'],
  ['end', null],
]);
const outline = (rows: ReturnType<typeof buildGridRows>) => rows.map((row) => `${'  '.repeat(row.depth)}${row.kind === 'group' ? `[${row.label}]` : row.label}`);

describe('buildGridRows', () => {
  test('nests tasks under their groups, in order of first appearance, with short labels', () => {
    const rows = buildGridRows(taskIds, groupOf, groups, new Set());
    expect(outline(rows)).toEqual(['start', '[extract]', '  [api]', '    orders', '    users', '  files', '[load]', '  orders', 'end']);
  });

  test('a collapsed group is one row that still knows all its tasks', () => {
    const rows = buildGridRows(taskIds, groupOf, groups, new Set(['extract']));
    expect(outline(rows)).toEqual(['start', '[extract]', '[load]', '  orders', 'end']);
    const extract = rows[1];
    expect(extract?.kind === 'group' ? extract.taskIndexes.sort() : []).toEqual([1, 3, 4]);
    expect(extract?.kind === 'group' && extract.collapsed).toBe(true);
  });

  test('collapsing an inner group keeps the outer one open', () => {
    expect(outline(buildGridRows(taskIds, groupOf, groups, new Set(['extract.api'])))).toEqual(['start', '[extract]', '  [api]', '  files', '[load]', '  orders', 'end']);
  });

  test('tasks of an unknown group (an older DAG version) still get a row', () => {
    const rows = buildGridRows(['gone.task'], new Map([['gone.task', 'gone']]), [], new Set());
    expect(outline(rows)).toEqual(['[gone]', '  task']);
  });
});

describe('summarizeStates', () => {
  test('a group shows its most urgent state', () => {
    expect(summarizeStates(['success', 'failed', 'running'])).toBe('failed');
    expect(summarizeStates(['success', 'running', null])).toBe('running');
    expect(summarizeStates(['success', 'skipped'])).toBe('success');
    expect(summarizeStates([null, null])).toBeNull();
  });
});

describe('dependencyOrder', () => {
  test('puts upstream tasks first and keeps the given order between independent tasks', () => {
    const tasks = [
      { taskId: 'load', upstream: ['transform'] },
      { taskId: 'b_extract', upstream: ['start'] },
      { taskId: 'a_extract', upstream: ['start'] },
      { taskId: 'start', upstream: [] },
      { taskId: 'transform', upstream: ['a_extract', 'b_extract'] },
    ];
    expect(dependencyOrder(tasks)).toEqual(['start', 'b_extract', 'a_extract', 'transform', 'load']);
  });

  test('keeps tasks stuck in a cycle instead of dropping them', () => {
    expect(dependencyOrder([{ taskId: 'a', upstream: ['b'] }, { taskId: 'b', upstream: ['a'] }, { taskId: 'c', upstream: [] }])).toEqual(['c', 'a', 'b']);
  });
});
