/**
 * Branching: a branch task picks which path runs; the path not taken is skipped, and the join task
 * uses the `none_failed_min_one_success` trigger rule so that it runs after whichever path ran.
 */
import { BashOperator, EmptyOperator, dag, getCurrentContext, task } from 'updraft';

const chooseBySize = task.branch('choose_path', (): string => {
  const { params } = getCurrentContext();
  return Number(params.rows) > 1000 ? 'big_load' : 'small_load';
});

export default dag(
  {
    dagId: 'branching',
    description: 'Choose a path at run time; the other path is skipped',
    schedule: null,
    startDate: '2024-01-01',
    tags: ['example'],
    params: { rows: 10 },
  },
  () => {
    const start = new EmptyOperator({ taskId: 'start' });
    const branch = chooseBySize();
    const small = new BashOperator({ taskId: 'small_load', bashCommand: 'echo "small load of {{ params.rows }} rows"' });
    const big = new BashOperator({ taskId: 'big_load', bashCommand: 'echo "big load of {{ params.rows }} rows"' });
    const join = new EmptyOperator({ taskId: 'join', triggerRule: 'none_failed_min_one_success' });
    start.then(branch);
    branch.then(small, big).then(join);
  },
);
