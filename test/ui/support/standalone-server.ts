import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface StandaloneServer {
  url: string;
  home: string;
  dagsFolder: string;
  adminPassword: string;
  output(): string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * `updraft standalone` in a temp UPDRAFT_HOME on a free port, with an empty DAG folder of its own
 * (the examples load too; `seedDags` may add files first). Resolves once it printed the URL and the
 * admin password.
 */
export async function startStandalone(seedDags: (dagsFolder: string) => void = () => undefined): Promise<StandaloneServer> {
  const home = mkdtempSync(join(tmpdir(), 'updraft-ui-test-'));
  const dagsFolder = join(home, 'dags');
  mkdirSync(dagsFolder);
  seedDags(dagsFolder);
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [join(ROOT, 'bin', 'updraft.js'), 'standalone', '--dags-folder', dagsFolder], {
    cwd: ROOT,
    env: { ...process.env, UPDRAFT_HOME: home, UPDRAFT__API__PORT: String(port), UPDRAFT__API__HOST: '127.0.0.1', UPDRAFT__LOGGING__LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.pid !== undefined) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
    rmSync(home, { recursive: true, force: true });
  };
  const deadline = Date.now() + 45_000;
  for (;;) {
    const ready = /ready in .* at (http\S+)/.exec(output);
    const password = /password (\S+) \(saved in/.exec(output);
    if (ready?.[1] !== undefined && password?.[1] !== undefined) {
      return { url: `http://127.0.0.1:${port}`, home, dagsFolder, adminPassword: password[1], output: () => output, stop };
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`updraft standalone did not start:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
