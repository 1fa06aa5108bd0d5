import { describe, expect, it } from 'vitest';
import { BaseBranchOperator, dag, EmptyOperator, ShortCircuitOperator, task, taskGroup, type BaseOperator } from './index.ts';

class Pick extends BaseBranchOperator {
  chooseBranch(): null {
    return null;
  }
}

/** pick -> (a -> a2), (grp.x -> after), grp.y, c ; gate -> d -> e */
function build(): { pick: BaseOperator; gate: BaseOperator; lenient: BaseOperator } {
  let pick!: BaseOperator;
  let gate!: BaseOperator;
  let lenient!: BaseOperator;
  dag({ dagId: 'branching' }, () => {
    pick = new Pick({ taskId: 'pick' });
    const a = new EmptyOperator({ taskId: 'a' });
    a.then(new EmptyOperator({ taskId: 'a2' }));
    const group = taskGroup('grp', () => {
      new EmptyOperator({ taskId: 'x' }).then(new EmptyOperator({ taskId: 'after' }));
      new EmptyOperator({ taskId: 'y' });
    });
    pick.then(a, group, new EmptyOperator({ taskId: 'c' }));
    gate = new ShortCircuitOperator({ taskId: 'gate', condition: () => false });
    lenient = new ShortCircuitOperator({ taskId: 'lenient', condition: () => false, ignoreDownstreamTriggerRules: false });
    const d = new EmptyOperator({ taskId: 'd' });
    gate.then(d).then(new EmptyOperator({ taskId: 'e' }));
    lenient.then(d);
  });
  return { pick, gate, lenient };
}

describe('branching', () => {
  const { pick, gate, lenient } = build();

  it('skips the direct downstream tasks not chosen', () => {
    expect(pick.tasksToSkip('a')).toEqual(['c', 'grp.x', 'grp.y']);
    expect(pick.tasksToSkip(['a', 'c'])).toEqual(['grp.x', 'grp.y']);
    expect(pick.tasksToSkip(null)).toEqual(['a', 'c', 'grp.x', 'grp.y']);
  });

  it('a chosen group id follows the group tasks directly downstream of the branch', () => {
    expect(pick.tasksToSkip('grp')).toEqual(['a', 'c']);
  });

  it('choosing a task that is not directly downstream fails the task', () => {
    expect(() => pick.tasksToSkip('a2')).toThrow(expect.objectContaining({ code: 'TASK_FAILED', message: expect.stringContaining('"a2"') }));
    expect(() => pick.tasksToSkip(7)).toThrow(expect.objectContaining({ code: 'TASK_FAILED' }));
  });

  it('a falsy short-circuit skips everything downstream, or only direct tasks when trigger rules are respected', () => {
    expect(gate.tasksToSkip(false)).toEqual(['d', 'e']);
    expect(gate.tasksToSkip('yes')).toEqual([]);
    expect(lenient.tasksToSkip(0)).toEqual(['d']);
  });

  it('task.branch and task.shortCircuit build the same kinds of task', () => {
    const d = dag({ dagId: 'taskflow_branching' }, () => {
      const choose = task.branch('choose', () => 'left');
      const check = task.shortCircuit({ taskId: 'check', ignoreDownstreamTriggerRules: false }, () => false);
      choose().then(new EmptyOperator({ taskId: 'left' }), new EmptyOperator({ taskId: 'right' }));
      check().then(new EmptyOperator({ taskId: 'next' })).then(new EmptyOperator({ taskId: 'last' }));
    });
    expect(d.getTask('choose')).toMatchObject({ isBranch: true, operatorName: '@task.branch' });
    expect(d.getTask('choose').tasksToSkip('left')).toEqual(['right']);
    expect(d.getTask('check')).toMatchObject({ isShortCircuit: true, operatorName: '@task.short_circuit' });
    expect(d.getTask('check').tasksToSkip(false)).toEqual(['next']);
  });
});
