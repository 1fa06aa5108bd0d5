import { describe, expect, it } from 'vitest';
import { serializedDag, serializedTask } from '../../test/store/fixtures.ts';
import { selectTasks } from './select-tasks.ts';

const dag = serializedDag('etl', {
  tasks: [serializedTask('extract'), serializedTask('transform', { upstream: ['extract'] }), serializedTask('load', { upstream: ['transform'] })],
});

describe('selectTasks', () => {
  it('matches by regex and adds relatives on request', () => {
    expect(selectTasks(dag, { taskRegex: '^trans' })).toEqual(['transform']);
    expect(selectTasks(dag, { taskRegex: '^trans', upstream: true })).toEqual(['extract', 'transform']);
    expect(selectTasks(dag, { taskRegex: '^trans', downstream: true })).toEqual(['transform', 'load']);
    expect(selectTasks(dag, { taskRegex: 'load|extract' })).toEqual(['extract', 'load']);
  });

  it('refuses patterns that could backtrack catastrophically, and overlong ones', () => {
    for (const pattern of ['(a+)+$', '(\\w*)*x', '(x{1,5})+', 'a'.repeat(300)]) {
      expect(() => selectTasks(dag, { taskRegex: pattern }), pattern).toThrow(/too long or nests quantifiers/);
    }
  });

  it('names an unknown task id', () => {
    expect(() => selectTasks(dag, { taskIds: ['nope'] })).toThrow(/has no task "nope"/);
  });
});
