import { describe, expect, it } from 'vitest';
import { UpdraftError } from '../contracts/errors.ts';
import { BashOperator, chain, dag, EmptyOperator, task, taskGroup, type Dag } from './index.ts';

const ids = (set: ReadonlySet<string>): string[] => [...set].sort();
const edges = (d: Dag): string[] =>
  d.tasks.flatMap((t) => [...t.downstreamTaskIds].map((down) => `${t.taskId}>${down}`)).sort();

describe('dependencies', () => {
  it('then() links both ways and returns a handle whose then() fans in', () => {
    const d = dag({ dagId: 'wiring' }, () => {
      const [a, b, c, e] = ['a', 'b', 'c', 'e'].map((taskId) => new EmptyOperator({ taskId })) as [EmptyOperator, EmptyOperator, EmptyOperator, EmptyOperator];
      a.then(b, c).then(e);
    });
    expect(edges(d)).toEqual(['a>b', 'a>c', 'b>e', 'c>e']);
    expect(ids(d.getTask('e').upstreamTaskIds)).toEqual(['b', 'c']);
  });

  it('setUpstream and setDownstream accept tasks and lists', () => {
    const d = dag({ dagId: 'set_stream' }, () => {
      const a = new EmptyOperator({ taskId: 'a' });
      const b = new EmptyOperator({ taskId: 'b' });
      const c = new EmptyOperator({ taskId: 'c' });
      c.setUpstream([a, b]);
      a.setDownstream(b);
    });
    expect(edges(d)).toEqual(['a>b', 'a>c', 'b>c']);
  });

  it('chain() links in sequence, fans out and in, and pairs equal-length lists', () => {
    const d = dag({ dagId: 'chained' }, () => {
      const t = (taskId: string) => new EmptyOperator({ taskId });
      chain(t('a'), [t('b'), t('c')], [t('d'), t('e')], t('f'));
    });
    expect(edges(d)).toEqual(['a>b', 'a>c', 'b>d', 'c>e', 'd>f', 'e>f']);
  });

  it('chain() refuses adjacent lists of different lengths', () => {
    expect(() =>
      dag({ dagId: 'bad_chain' }, () => {
        const t = (taskId: string) => new EmptyOperator({ taskId });
        chain([t('a'), t('b')], [t('c'), t('d'), t('e')]);
      }),
    ).toThrow(expect.objectContaining({ code: 'DAG_INVALID_OPTION', message: expect.stringContaining('list of 2 tasks to a list of 3') }));
  });

  it('awaiting a task fails with a clear DAG_INVALID_OPTION instead of hanging', async () => {
    let awaited: Promise<unknown> = Promise.resolve();
    dag({ dagId: 'await_task' }, () => {
      const a = new EmptyOperator({ taskId: 'a' });
      awaited = (async () => await (a as unknown as Promise<unknown>))();
    });
    const error: unknown = await awaited.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpdraftError);
    expect(error).toMatchObject({ code: 'DAG_INVALID_OPTION', message: expect.stringContaining('tasks are not promises'), details: { dagId: 'await_task', taskId: 'a' } });
  });

  it('then() with something that is not a task names what it got', () => {
    expect(() =>
      dag({ dagId: 'not_a_task' }, () => {
        new EmptyOperator({ taskId: 'a' }).then('b' as never);
      }),
    ).toThrow(expect.objectContaining({ code: 'DAG_INVALID_OPTION', message: expect.stringContaining('"b"') }));
  });

  it('refuses edges between tasks of different DAGs', () => {
    let outer: EmptyOperator | undefined;
    dag({ dagId: 'one' }, () => {
      outer = new EmptyOperator({ taskId: 'a' });
    });
    expect(() => dag({ dagId: 'two' }, () => new EmptyOperator({ taskId: 'b' }).setUpstream(outer!))).toThrow(
      expect.objectContaining({ code: 'DAG_INVALID_OPTION' }),
    );
  });

  it('tasks outside a DAG builder are an error', () => {
    expect(() => new EmptyOperator({ taskId: 'loose' })).toThrow(expect.objectContaining({ code: 'DAG_INVALID_OPTION', message: expect.stringContaining('outside a DAG') }));
  });
});

describe('task groups', () => {
  it('prefixes ids, nests, and links through roots and leaves', () => {
    const d = dag({ dagId: 'groups' }, () => {
      const start = new EmptyOperator({ taskId: 'start' });
      const extract = taskGroup('extract', () => {
        const download = new EmptyOperator({ taskId: 'download' });
        taskGroup({ groupId: 'clean', tooltip: 'Cleaning' }, () => {
          download.then(new EmptyOperator({ taskId: 'dedupe' }), new EmptyOperator({ taskId: 'trim' }));
        });
      });
      const end = new EmptyOperator({ taskId: 'end' });
      start.then(extract).then(end);
    });
    expect(d.tasks.map((t) => t.taskId)).toEqual(['start', 'extract.download', 'extract.clean.dedupe', 'extract.clean.trim', 'end']);
    expect(edges(d)).toEqual([
      'extract.clean.dedupe>end',
      'extract.clean.trim>end',
      'extract.download>extract.clean.dedupe',
      'extract.download>extract.clean.trim',
      'start>extract.download',
    ]);
    expect(d.getTask('extract.clean.trim').group).toBe('extract.clean');
    expect(d.taskGroups.map((g) => [g.groupId, g.parent?.groupId ?? null, g.tooltip])).toEqual([
      ['extract', null, ''],
      ['extract.clean', 'extract', 'Cleaning'],
    ]);
  });

  it('prefixGroupId: false keeps task ids as written', () => {
    const d = dag({ dagId: 'no_prefix' }, () => {
      taskGroup({ groupId: 'plain', prefixGroupId: false }, () => new EmptyOperator({ taskId: 'inside' }));
    });
    expect(d.getTask('inside').group).toBe('plain');
  });
});

describe('defaultArgs', () => {
  it('fill the options a task does not set; a task option wins', () => {
    const d = dag({ dagId: 'defaults', owner: 'data', defaultArgs: { retries: 2, retryDelay: { minutes: 1 }, queue: 'fast', pool: 'p' } }, () => {
      new EmptyOperator({ taskId: 'inherits' });
      new EmptyOperator({ taskId: 'overrides', retries: 0, queue: 'slow', owner: 'me' });
    });
    expect(d.getTask('inherits').settings).toMatchObject({ retries: 2, retryDelaySeconds: 60, queue: 'fast', pool: 'p', owner: 'data' });
    expect(d.getTask('overrides').settings).toMatchObject({ retries: 0, retryDelaySeconds: 60, queue: 'slow', pool: 'p', owner: 'me' });
  });

  it('apply Airflow defaults when nothing is set', () => {
    const d = dag({ dagId: 'airflow_defaults' }, () => new EmptyOperator({ taskId: 't', waitForDownstream: true }));
    expect(d.getTask('t').settings).toMatchObject({
      retries: 0,
      retryDelaySeconds: 300,
      triggerRule: 'all_success',
      pool: 'default_pool',
      poolSlots: 1,
      priorityWeight: 1,
      weightRule: 'downstream',
      queue: 'default',
      isolation: 'pool',
      dependsOnPast: true,
      doXcomPush: true,
      owner: 'updraft',
    });
  });
});

describe('TaskFlow', () => {
  const extract = task('extract', () => ({ orders: [1, 2, 3] }));
  const total = task({ taskId: 'total', retries: 1 }, (data: { orders: number[] }, factor: number) => data.orders.length * factor);

  it('creates a task per call, wires XComArg arguments as upstream and records xcomInputs', () => {
    const d = dag({ dagId: 'taskflow' }, () => {
      total(extract(), 2);
    });
    expect(edges(d)).toEqual(['extract>total']);
    expect(d.getTask('total').xcomInputs).toEqual(['extract']);
    expect(d.getTask('total').operatorName).toBe('@task');
    expect(d.getTask('total').settings.retries).toBe(1);
  });

  it('suffixes ids when a function is called again in one DAG', () => {
    const d = dag({ dagId: 'reuse' }, () => {
      const first = extract();
      extract().then(extract());
      taskGroup('g', () => extract());
      expect(first.taskId).toBe('extract');
    });
    expect(d.tasks.map((t) => t.taskId)).toEqual(['extract', 'extract__1', 'extract__2', 'g.extract']);
  });

  it('override() changes options for one use', () => {
    const d = dag({ dagId: 'override' }, () => {
      extract.override({ taskId: 'extract_eu', queue: 'eu' })();
    });
    expect(d.getTask('extract_eu').settings.queue).toBe('eu');
  });

  it('the XComArg is a task reference and the function stays callable for unit tests', () => {
    const d = dag({ dagId: 'xcomarg_ref' }, () => {
      extract().then(new BashOperator({ taskId: 'after', bashCommand: 'true' }));
    });
    expect(edges(d)).toEqual(['extract>after']);
    expect(total.fn({ orders: [1] }, 3)).toBe(3);
  });
});
