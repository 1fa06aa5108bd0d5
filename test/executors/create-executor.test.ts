import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.ts';
import type { TaskExecutionApi } from '../../src/contracts/task-execution-api.ts';
import { createExecutor, EXECUTOR_NAMES, LocalExecutor, SequentialExecutor } from '../../src/executors/index.ts';
import { recordingLogger } from './support/executor-probes.ts';

/** createExecutor builds without starting, so these tests need no store: nothing may call the api. */
const unusedApi = new Proxy({} as TaskExecutionApi, {
  get: (_, method) => {
    throw new Error(`unexpected call to api.${String(method)}`);
  },
});

function options(env: Record<string, string> = {}) {
  return { config: loadConfig({ env: { UPDRAFT_HOME: '/nonexistent/updraft', ...env } }), api: unusedApi, logger: recordingLogger() };
}

describe('createExecutor', () => {
  it('builds every named executor, unstarted, under its name', async () => {
    for (const name of EXECUTOR_NAMES) {
      const executor = createExecutor(name, options());
      expect(executor.name).toBe(name);
      expect(executor.availableSlots()).toBe(0);
      await executor.stop({ graceful: true });
    }
    expect(createExecutor('LocalExecutor', options())).toBeInstanceOf(LocalExecutor);
    expect(createExecutor('SequentialExecutor', options())).toBeInstanceOf(SequentialExecutor);
  });

  it('rejects an unknown name with CONFIG_INVALID, naming the known ones', () => {
    expect(() => createExecutor('CeleryExecutor', options())).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID', hint: expect.stringContaining('SequentialExecutor, LocalExecutor') }),
    );
  });

  it('rejects a parallelism or warm_processes setting it cannot use', () => {
    expect(() => createExecutor('LocalExecutor', options({ UPDRAFT__CORE__PARALLELISM: '0' }))).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }),
    );
    expect(() => createExecutor('LocalExecutor', options({ UPDRAFT__EXECUTORS__WARM_PROCESSES: '-2' }))).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }),
    );
  });
});
