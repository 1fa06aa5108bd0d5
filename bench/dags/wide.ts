/**
 * Benchmark DAGs for scheduler throughput: many independent no-op tasks in one run, and small runs
 * of 20 independent no-op tasks to trigger many times. Each task records nothing and returns nothing,
 * so every millisecond measured is orchestration.
 */
import { dag, task } from 'updraft';

function independentNoops(dagId: string, tasks: number) {
  return dag({ dagId, schedule: null, startDate: '2024-01-01', tags: ['bench'], maxActiveTasks: 100_000, maxActiveRuns: 1_000 }, () => {
    for (let i = 0; i < tasks; i += 1) task({ taskId: `noop_${String(i).padStart(4, '0')}` }, (): void => undefined)();
  });
}

export const wide2000 = independentNoops('bench_wide_2000', 2000);
export const wide20 = independentNoops('bench_wide_20', 20);
