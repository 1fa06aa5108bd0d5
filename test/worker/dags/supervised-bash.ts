/** A DAG run through the real task process by test/worker/real-task-process.test.ts. */
import { BashOperator, dag } from 'updraft';

export default dag({ dagId: 'supervised_bash', schedule: null, startDate: '2024-01-01' }, () => {
  new BashOperator({ taskId: 'greet', bashCommand: 'echo "to stderr" >&2; echo "hello from {{ run_id }}"' });
  new BashOperator({ taskId: 'fail', bashCommand: 'echo "about to fail"; exit 3' });
  new BashOperator({ taskId: 'sleep', bashCommand: 'echo "sleeping"; sleep 100' });
});
