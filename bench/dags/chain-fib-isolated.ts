/** The chain-fib benchmark again, with every task in a fresh process of its own (`isolation: 'process'`). */
import { chain, dag, task } from 'updraft';

function fib(n: number): number {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

export default dag({ dagId: 'bench_chain_fib10_isolated', schedule: null, startDate: '2024-01-01', tags: ['bench'] }, () => {
  const steps = Array.from({ length: 40 }, (_, i) =>
    task({ taskId: `fib_${String(i).padStart(2, '0')}`, isolation: 'process' }, (): number => {
      const started = performance.now();
      fib(10);
      return performance.now() - started;
    })(),
  );
  chain(...steps);
});
