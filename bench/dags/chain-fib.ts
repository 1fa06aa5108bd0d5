/**
 * Benchmark DAGs: chains of CPU-bound tasks. Each task returns how long its own computation took, so
 * the benchmark can subtract task compute from wall time and report pure orchestration overhead.
 */
import { chain, dag, task } from 'updraft';

function fib(n: number): number {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

function chainOfFib(dagId: string, tasks: number, n: number) {
  return dag({ dagId, schedule: null, startDate: '2024-01-01', tags: ['bench'] }, () => {
    const steps = Array.from({ length: tasks }, (_, i) =>
      task({ taskId: `fib_${String(i).padStart(2, '0')}` }, (): number => {
        const started = performance.now();
        fib(n);
        return performance.now() - started;
      })(),
    );
    chain(...steps);
  });
}

export const fib10Chain = chainOfFib('bench_chain_fib10', 40, 10);
export const fib33Chain = chainOfFib('bench_chain_fib33', 10, 33);
