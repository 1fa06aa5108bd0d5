import { describe, expect, it } from 'vitest';
import {
  BaseBranchOperator,
  BaseSensorOperator,
  BashOperator,
  dag,
  EmptyOperator,
  param,
  ShortCircuitOperator,
  task,
  taskGroup,
  type TaskContext,
} from './index.ts';

class PickOperator extends BaseBranchOperator {
  chooseBranch(): string {
    return 'left';
  }
}

class FileSensor extends BaseSensorOperator {
  poke(): boolean {
    return true;
  }
}

function buildDag() {
  return dag(
    {
      dagId: 'serialized',
      schedule: '0 6 * * 1-5',
      startDate: '2024-03-01',
      endDate: new Date('2025-01-01T00:00:00Z'),
      timezone: 'Europe/Berlin',
      catchup: true,
      tags: ['b', 'a'],
      description: 'desc',
      docMd: '# doc',
      maxActiveRuns: 2,
      dagrunTimeout: { hours: 1 },
      isPausedUponCreation: false,
      templateSearchpath: 'sql',
      userDefinedMacros: { zeta: () => 1, alpha: () => 2 },
      params: { limit: param(5, { type: 'integer', minimum: 1 }, 'Row limit'), name: 'x', flags: [1], opts: { a: 1 }, nothing: null },
      defaultArgs: { retries: 2, executionTimeout: 90, onFailureCallback: () => undefined },
    },
    () => {
      const pick = new PickOperator({ taskId: 'pick' });
      const left = new BashOperator({ taskId: 'left', bashCommand: 'echo {{ ds }}', env: { A: '{{ params.name }}' }, doc: 'Left side' });
      const right = new EmptyOperator({ taskId: 'right', triggerRule: 'none_failed', isolation: 'process', executor: 'k8s' });
      pick.then(left, right);
      const wait = new FileSensor({ taskId: 'wait', mode: 'reschedule', pokeInterval: { minutes: 2 }, timeout: 600, softFail: true });
      const gate = new ShortCircuitOperator({ taskId: 'gate', condition: () => true });
      taskGroup('load', () => {
        const sum = task('sum', (a: number, b: number) => a + b);
        const one = task('one', () => 1);
        wait.then(gate).then(sum(one(), 2));
      });
    },
  );
}

describe('serializeDag', () => {
  const serialized = buildDag().serialize();

  it('fills the DAG fields', () => {
    expect(serialized).toMatchObject({
      format: 1,
      dagId: 'serialized',
      fileloc: '',
      timetable: { kind: 'cron', expression: '0 6 * * 1-5', timezone: 'Europe/Berlin' },
      // Date-only start dates are midnight in the DAG's timezone.
      startDate: '2024-02-29T23:00:00.000Z',
      endDate: '2025-01-01T00:00:00.000Z',
      timezone: 'Europe/Berlin',
      catchup: true,
      tags: ['b', 'a'],
      owner: 'updraft',
      description: 'desc',
      docMd: '# doc',
      maxActiveRuns: 2,
      maxActiveTasks: 16,
      dagrunTimeoutSeconds: 3600,
      isPausedUponCreation: false,
      templateSearchpath: ['sql'],
      userDefinedMacros: ['alpha', 'zeta'],
    });
    expect(serialized.params).toEqual({
      limit: { default: 5, schema: { type: 'integer', minimum: 1 }, description: 'Row limit' },
      name: { default: 'x', schema: { type: 'string' } },
      flags: { default: [1], schema: { type: 'array' } },
      opts: { default: { a: 1 }, schema: { type: 'object' } },
      nothing: { default: null, schema: {} },
    });
  });

  it('sorts tasks by id and lists upstream and downstream', () => {
    expect(serialized.tasks.map((t) => t.taskId)).toEqual(['gate', 'left', 'load.one', 'load.sum', 'pick', 'right', 'wait']);
    const pick = serialized.tasks.find((t) => t.taskId === 'pick')!;
    expect(pick).toMatchObject({ operator: 'PickOperator', upstream: [], downstream: ['left', 'right'], isBranch: true, group: null });
    const sum = serialized.tasks.find((t) => t.taskId === 'load.sum')!;
    expect(sum).toMatchObject({ operator: '@task', upstream: ['gate', 'load.one'], xcomInputs: ['load.one'], group: 'load' });
  });

  it('serializes task options, template fields, sensors and callbacks', () => {
    const left = serialized.tasks.find((t) => t.taskId === 'left')!;
    expect(left).toMatchObject({
      retries: 2,
      executionTimeoutSeconds: 90,
      templateFields: ['bashCommand', 'env', 'cwd'],
      templateFieldValues: { bashCommand: 'echo {{ ds }}', env: { A: '{{ params.name }}' }, cwd: null },
      templateExt: ['.sh', '.bash'],
      callbacks: { onSuccess: false, onFailure: true, onRetry: false, onExecute: false },
      doc: 'Left side',
      uiColor: '#f0ede4',
      sensor: null,
    });
    expect(serialized.tasks.find((t) => t.taskId === 'right')).toMatchObject({ triggerRule: 'none_failed', isolation: 'process', executor: 'k8s' });
    expect(serialized.tasks.find((t) => t.taskId === 'gate')).toMatchObject({ isShortCircuit: true, operator: 'ShortCircuitOperator' });
    expect(serialized.tasks.find((t) => t.taskId === 'wait')!.sensor).toEqual({
      pokeIntervalSeconds: 120,
      timeoutSeconds: 600,
      mode: 'reschedule',
      softFail: true,
      exponentialBackoff: false,
      maxWaitSeconds: null,
    });
  });

  it('lists task groups with their direct children', () => {
    expect(serialized.taskGroups).toEqual([{ groupId: 'load', parent: null, tooltip: '', children: ['load.one', 'load.sum'] }]);
  });

  it('is JSON and deterministic: the same DAG gives the same text', () => {
    const text = JSON.stringify(serialized);
    expect(JSON.parse(text)).toEqual(serialized);
    expect(JSON.stringify(buildDag().serialize())).toBe(text);
  });

  it('shows non-JSON template field values as text', () => {
    class Custom extends EmptyOperator {
      static override templateFields = ['fn', 'when'];
      fn = function helper() {};
      when = new Date('2024-01-01T00:00:00Z');
      override execute(_context: TaskContext): void {}
    }
    const d = dag({ dagId: 'custom' }, () => new Custom({ taskId: 'c' }));
    expect(d.serialize().tasks[0]!.templateFieldValues).toEqual({ fn: '<function helper>', when: '2024-01-01T00:00:00.000Z' });
  });
});
