import { describe, expectTypeOf, it } from 'vitest';
import { dag, task, type XComArg } from './index.ts';

describe('TaskFlow types', () => {
  const name = task('name', () => 'ada');
  const count = task('count', async () => 42);
  const double = task('double', (n: number) => n * 2);
  const greet = task('greet', (who: string, times: number) => `${who}`.repeat(times));

  it('a call returns the XComArg of the awaited return type', () => {
    dag({ dagId: 'types' }, () => {
      expectTypeOf(name()).toEqualTypeOf<XComArg<string>>();
      expectTypeOf(count()).toEqualTypeOf<XComArg<number>>();
    });
  });

  it('correct wiring compiles: plain values or XComArgs of the parameter type', () => {
    dag({ dagId: 'types_ok' }, () => {
      double(count());
      double(3);
      greet(name(), count());
      greet('bob', 2);
    });
  });

  it('wiring a string-returning task into a number parameter is a compile error', () => {
    dag({ dagId: 'types_bad' }, () => {
      // @ts-expect-error name() yields a string, double() takes a number
      double(name());
      // @ts-expect-error plain values are checked too
      double('3');
      // @ts-expect-error arguments are in order: (string, number)
      greet(count(), name());
      // @ts-expect-error the argument count is checked
      greet(name());
    });
  });

  it('branch functions must return task ids', () => {
    task.branch('choose', () => 'left');
    task.branch('choose_many', async () => ['a', 'b']);
    // @ts-expect-error a branch returns task ids, not numbers
    task.branch('bad_branch', () => 1);
  });
});
