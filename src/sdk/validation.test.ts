import { describe, expect, it } from 'vitest';
import { BashOperator, dag, EmptyOperator, param, ShortCircuitOperator, task, taskGroup, type DagOptions } from './index.ts';

/** Expects `define` to throw an UpdraftError with `code` whose details name the DAG (and task). */
function expectError(define: () => unknown, code: string, details: Record<string, unknown>, text?: string): void {
  let thrown: unknown;
  try {
    define();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toMatchObject({ name: 'UpdraftError', code, details: expect.objectContaining(details) });
  const message = (thrown as Error).message;
  expect(message.split('\n')).toHaveLength(1);
  if (text !== undefined) expect(message).toContain(text);
}

const emptyDag = (options: Partial<DagOptions>) => () => dag({ dagId: 'd', ...options } as DagOptions, () => {});

describe('definition-time validation', () => {
  it('DAG_DUPLICATE_TASK_ID for two tasks with one id', () => {
    expectError(
      () => dag({ dagId: 'dup' }, () => [new EmptyOperator({ taskId: 'x' }), new EmptyOperator({ taskId: 'x' })]),
      'DAG_DUPLICATE_TASK_ID',
      { dagId: 'dup', taskId: 'x' },
      'DAG "dup", task "x"',
    );
  });

  it('DAG_DUPLICATE_TASK_ID when a group and a task share an id', () => {
    expectError(() => dag({ dagId: 'dup_group' }, () => [new EmptyOperator({ taskId: 'g' }), taskGroup('g', () => {})]), 'DAG_DUPLICATE_TASK_ID', { taskId: 'g' });
  });

  it('DAG_CYCLE names the cycle path', () => {
    expectError(
      () =>
        dag({ dagId: 'cyclic' }, () => {
          const a = new EmptyOperator({ taskId: 'a' });
          const b = new EmptyOperator({ taskId: 'b' });
          a.then(b).then(a);
        }),
      'DAG_CYCLE',
      { dagId: 'cyclic', cycle: ['a', 'b', 'a'] },
      'a -> b -> a',
    );
  });

  it('DAG_CYCLE for a task that depends on itself', () => {
    expectError(
      () =>
        dag({ dagId: 'self' }, () => {
          const a = new EmptyOperator({ taskId: 'a' });
          a.then(a);
        }),
      'DAG_CYCLE',
      { dagId: 'self', taskId: 'a' },
    );
  });

  it('then() without tasks is an invalid option', () => {
    expectError(() => dag({ dagId: 'empty_then' }, () => new EmptyOperator({ taskId: 'a' }).then()), 'DAG_INVALID_OPTION', { dagId: 'empty_then', taskId: 'a' }, 'without tasks');
  });

  it('DAG_INVALID_TRIGGER_RULE for an unknown rule, also from defaultArgs', () => {
    expectError(
      () => dag({ dagId: 'rules' }, () => new EmptyOperator({ taskId: 't', triggerRule: 'all_sucess' as never })),
      'DAG_INVALID_TRIGGER_RULE',
      { dagId: 'rules', taskId: 't' },
      'all_sucess',
    );
    expectError(
      () => dag({ dagId: 'rules', defaultArgs: { triggerRule: 'sometimes' as never } }, () => new EmptyOperator({ taskId: 't' })),
      'DAG_INVALID_TRIGGER_RULE',
      { taskId: 't' },
    );
  });

  it.each([['has space'], ['slash/id'], [''], ['x'.repeat(251)], ['ünïcode']])('DAG_INVALID_ID for task id %j', (taskId) => {
    expectError(() => dag({ dagId: 'ids' }, () => new EmptyOperator({ taskId })), 'DAG_INVALID_ID', { dagId: 'ids' });
  });

  it('DAG_INVALID_ID for a DAG id, while letters, digits, _ - . are fine', () => {
    expectError(emptyDag({ dagId: 'my dag' }), 'DAG_INVALID_ID', { dagId: 'my dag' });
    expect(dag({ dagId: 'ok_id-1.2' }, () => new EmptyOperator({ taskId: 'A_b-c.9' })).dagId).toBe('ok_id-1.2');
  });

  it('DAG_INVALID_SCHEDULE for a bad cron and DAG_INVALID_TIMEZONE for an unknown zone, naming the DAG', () => {
    expectError(emptyDag({ schedule: '61 * * * *', startDate: '2024-01-01' }), 'DAG_INVALID_SCHEDULE', { dagId: 'd' }, 'DAG "d"');
    expectError(emptyDag({ schedule: '@sometimes', startDate: '2024-01-01' }), 'DAG_INVALID_SCHEDULE', { dagId: 'd' });
    expectError(emptyDag({ timezone: 'Mars/Olympus' }), 'DAG_INVALID_TIMEZONE', { dagId: 'd' });
  });

  it('DAG_INVALID_DATES when endDate is before startDate', () => {
    expectError(emptyDag({ startDate: '2024-02-01', endDate: '2024-01-01' }), 'DAG_INVALID_DATES', { dagId: 'd' });
  });

  it('a schedule without startDate is an invalid option', () => {
    expectError(emptyDag({ schedule: '@daily' }), 'DAG_INVALID_OPTION', { dagId: 'd' }, 'startDate');
  });

  it('unparseable dates are an invalid option', () => {
    expectError(emptyDag({ startDate: 'yesterday' }), 'DAG_INVALID_OPTION', { dagId: 'd' }, 'startDate');
  });

  it('DAG_INVALID_PARAMS when a default violates its schema', () => {
    expectError(emptyDag({ params: { limit: param(0, { type: 'integer', minimum: 1 }) } }), 'DAG_INVALID_PARAMS', { dagId: 'd' }, 'limit');
    expectError(emptyDag({ params: { mode: param('medium', { enum: ['fast', 'slow'] }) } }), 'DAG_INVALID_PARAMS', { dagId: 'd' }, 'mode');
  });

  it('params that are not JSON are an invalid option', () => {
    expectError(emptyDag({ params: { when: new Date() as never } }), 'DAG_INVALID_OPTION', { dagId: 'd' }, 'when');
  });

  it.each([
    ['retries', { retries: -1 }],
    ['retries', { retries: 1.5 }],
    ['retryDelay', { retryDelay: 'five minutes' }],
    ['retryDelay', { retryDelay: { fortnights: 1 } }],
    ['poolSlots', { poolSlots: 0 }],
    ['weightRule', { weightRule: 'heaviest' }],
    ['isolation', { isolation: 'thread' }],
    ['emailOnFailure', { emailOnFailure: 'yes' }],
    ['onFailureCallback', { onFailureCallback: 'notify' }],
    ['email', { email: [1] }],
  ])('wrong type of task option %s is DAG_INVALID_OPTION', (name, options) => {
    expectError(() => dag({ dagId: 'types' }, () => new EmptyOperator({ taskId: 't', ...(options as object) })), 'DAG_INVALID_OPTION', { dagId: 'types', taskId: 't' }, name);
  });

  it.each([
    ['catchup', { catchup: 'no' }],
    ['maxActiveRuns', { maxActiveRuns: 0 }],
    ['tags', { tags: 'etl' }],
    ['dagrunTimeout', { dagrunTimeout: -5 }],
  ])('wrong type of DAG option %s is DAG_INVALID_OPTION', (name, options) => {
    expectError(emptyDag(options as Partial<DagOptions>), 'DAG_INVALID_OPTION', { dagId: 'd' }, name);
  });

  it('operator-specific options are checked', () => {
    expectError(() => dag({ dagId: 'bash' }, () => new BashOperator({ taskId: 'b', bashCommand: '' })), 'DAG_INVALID_OPTION', { taskId: 'b' }, 'bashCommand');
    expectError(
      () => dag({ dagId: 'sc' }, () => new ShortCircuitOperator({ taskId: 's', condition: true as never })),
      'DAG_INVALID_OPTION',
      { taskId: 's' },
      'condition',
    );
  });

  it('an async builder is refused (tasks after an await would attach to nothing)', () => {
    expectError(() => dag({ dagId: 'async_builder' }, (async () => {}) as () => void), 'DAG_INVALID_OPTION', { dagId: 'async_builder' }, 'async');
  });

  it('task() validates its id and function when defined', () => {
    expectError(() => task('bad id', () => 1), 'DAG_INVALID_ID', { taskId: 'bad id' });
    expectError(() => task('ok', 'nope' as never), 'DAG_INVALID_OPTION', { taskId: 'ok' });
  });
});
