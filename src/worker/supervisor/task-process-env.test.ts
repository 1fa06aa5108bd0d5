import { describe, expect, it } from 'vitest';
import { taskProcessEnv } from './task-process-env.ts';

describe('taskProcessEnv', () => {
  it('withholds database settings and the secret key, and keeps everything else', () => {
    const env = taskProcessEnv({
      PATH: '/usr/bin',
      UPDRAFT_HOME: '/srv/updraft',
      UPDRAFT__DATABASE__URL: 'postgres://user:pw@db/updraft',
      UPDRAFT__DATABASE__POOL_SIZE: '5',
      UPDRAFT__CORE__SECRET_KEY: 'k',
      UPDRAFT__CORE__PARALLELISM: '8',
    });
    expect(env).toEqual({ PATH: '/usr/bin', UPDRAFT_HOME: '/srv/updraft', UPDRAFT__CORE__PARALLELISM: '8' });
  });
});
