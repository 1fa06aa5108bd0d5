import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TaskRunContextData } from '../../src/contracts/task-instance.ts';
import {
  BaseSensorOperator,
  BashOperator,
  dag,
  NonRetriableError,
  RescheduleError,
  SkipError,
  type BaseOperator,
  type BaseSensorOptions,
  type TaskContext,
} from '../../src/sdk/index.ts';
import { buildTaskContext, createMacros } from '../../src/worker/templates/index.ts';

function contextFor(task: BaseOperator, startDate: string | null = null): TaskContext {
  const key = { dagId: task.dagId, runId: 'manual__1', taskId: task.taskId, mapIndex: -1, tryNumber: 1 };
  const run: TaskRunContextData = {
    dagRun: {
      dagId: task.dagId,
      runId: 'manual__1',
      runType: 'manual',
      state: 'running',
      logicalDate: '2024-01-01T00:00:00.000Z',
      dataIntervalStart: null,
      dataIntervalEnd: null,
      runAfter: '2024-01-01T00:00:00.000Z',
      startDate: null,
      conf: {},
    },
    ti: { ...key, maxTries: 0, state: 'running', hostname: 'h', pid: null, pool: 'default_pool', queue: 'default', priorityWeight: 1, startDate },
    previous: { prevDataIntervalStartSuccess: null, prevDataIntervalEndSuccess: null, prevStartDateSuccess: null, prevEndDateSuccess: null },
    params: {},
    xcomMaxBytes: null,
  };
  const services = { getVariable: async () => null, getConnection: async () => null, pushXCom: async () => undefined, pullXCom: async () => undefined };
  return buildTaskContext({ dag: { dagId: task.dagId, fileloc: '', timezone: 'UTC' }, task, run, services, macros: createMacros({}) }).context;
}

/** Pokes false until `readyAfter` pokes have happened. */
class CountingSensor extends BaseSensorOperator {
  pokes = 0;
  readyAfter: number;
  constructor(options: BaseSensorOptions & { readyAfter: number }) {
    super(options);
    this.readyAfter = options.readyAfter;
  }
  poke(): boolean {
    this.pokes++;
    return this.pokes >= this.readyAfter;
  }
}

function sensor(options: Omit<BaseSensorOptions, 'taskId'> & { readyAfter: number }): CountingSensor {
  let created!: CountingSensor;
  dag({ dagId: 'sensors' }, () => {
    created = new CountingSensor({ taskId: 'wait', ...options });
  });
  return created;
}

describe('BaseSensorOperator', () => {
  it('poke mode pokes until the condition holds', async () => {
    const s = sensor({ pokeInterval: 0.01, readyAfter: 3 });
    await s.execute(contextFor(s));
    expect(s.pokes).toBe(3);
  });

  it('reschedule mode ends the try with the next poke time', async () => {
    const s = sensor({ mode: 'reschedule', pokeInterval: { minutes: 5 }, readyAfter: 2 });
    const before = Date.now();
    const error: unknown = await s.execute(contextFor(s)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RescheduleError);
    const at = (error as RescheduleError).rescheduleAt.getTime();
    expect(at).toBeGreaterThanOrEqual(before + 300_000);
    expect(at).toBeLessThanOrEqual(Date.now() + 300_000);
  });

  it('a timeout fails without retry, or skips with softFail', async () => {
    const longAgo = new Date(Date.now() - 3_600_000).toISOString();
    const hard = sensor({ timeout: 60, readyAfter: 99 });
    const hardError: unknown = await hard.execute(contextFor(hard, longAgo)).catch((e: unknown) => e);
    expect(hardError).toBeInstanceOf(NonRetriableError);
    expect(hardError).toMatchObject({ code: 'TASK_TIMEOUT' });
    const soft = sensor({ timeout: 60, softFail: true, readyAfter: 99 });
    await expect(soft.execute(contextFor(soft, longAgo))).rejects.toBeInstanceOf(SkipError);
  });

  it('caps the wait at maxWait and at the time left before the timeout', async () => {
    const s = sensor({ mode: 'reschedule', pokeInterval: 600, exponentialBackoff: true, maxWait: 30, timeout: 3600, readyAfter: 99 });
    const error = (await s.execute(contextFor(s)).catch((e: unknown) => e)) as RescheduleError;
    expect(error.rescheduleAt.getTime() - Date.now()).toBeLessThanOrEqual(30_000);
  });
});

describe('BashOperator', () => {
  function bash(options: Partial<ConstructorParameters<typeof BashOperator>[0]>): BashOperator {
    let created!: BashOperator;
    dag({ dagId: 'bash' }, () => {
      created = new BashOperator({ taskId: 'b', bashCommand: 'true', ...options });
    });
    return created;
  }

  it('returns the last stdout line and passes context variables', async () => {
    const op = bash({ bashCommand: 'echo first; echo "$UPDRAFT_CTX_DAG_ID/$UPDRAFT_CTX_TASK_ID/$UPDRAFT_CTX_TRY_NUMBER"' });
    await expect(op.execute(contextFor(op))).resolves.toBe('bash/b/1');
  });

  it('env replaces the environment unless appendEnv', async () => {
    process.env['UPDRAFT_TEST_OUTER'] = 'outer';
    const replaced = bash({ bashCommand: 'echo "${UPDRAFT_TEST_OUTER:-none} $MINE"', env: { MINE: 'mine' } });
    await expect(replaced.execute(contextFor(replaced))).resolves.toBe('none mine');
    const appended = bash({ bashCommand: 'echo "${UPDRAFT_TEST_OUTER:-none} $MINE"', env: { MINE: 'mine' }, appendEnv: true });
    await expect(appended.execute(contextFor(appended))).resolves.toBe('outer mine');
  });

  it('runs in cwd when given, else in a temporary directory', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'updraft-bash-cwd-'));
    const inFolder = bash({ bashCommand: 'pwd', cwd: folder });
    await expect(inFolder.execute(contextFor(inFolder))).resolves.toBe(folder);
    const inTemp = bash({ bashCommand: 'pwd' });
    await expect(inTemp.execute(contextFor(inTemp))).resolves.toMatch(/updraft-bash-/);
  });

  it('skipOnExitCode skips, other codes fail naming the code', async () => {
    const custom = bash({ bashCommand: 'exit 42', skipOnExitCode: [42] });
    await expect(custom.execute(contextFor(custom))).rejects.toBeInstanceOf(SkipError);
    const none = bash({ bashCommand: 'exit 99', skipOnExitCode: null });
    await expect(none.execute(contextFor(none))).rejects.toMatchObject({ code: 'TASK_FAILED', message: expect.stringContaining('exit code 99') });
  });
});
