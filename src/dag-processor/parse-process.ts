/**
 * Child process that imports DAG files: the only place, besides task processes, where DAG-file code
 * runs. It parses one file per request so that the parent can time each file out on its own.
 */
import { readFile } from 'node:fs/promises';
import { serializeError } from '../contracts/errors.ts';
import { loadDagFile } from '../sdk/loader.ts';
import { resolveUpdraftToThisSdk } from '../sdk/resolve-updraft.ts';
import type { FileParseResult, ParseProcessMessage, ParseRequest } from './parse-protocol.ts';

resolveUpdraftToThisSdk();

function send(message: ParseProcessMessage): void {
  process.send?.(message);
}

async function parse(request: ParseRequest): Promise<FileParseResult> {
  const started = performance.now();
  const sourceCode = await readFile(request.file, 'utf8').catch(() => '');
  try {
    const loaded = await loadDagFile(request.file, { cacheBust: request.cacheBust });
    const dags = loaded.dags.map((dag) => dag.serialize());
    return { file: request.file, ok: true, dags, sourceCode, durationMs: performance.now() - started };
  } catch (error) {
    return { file: request.file, ok: false, error: serializeError(error), sourceCode, durationMs: performance.now() - started };
  }
}

process.on('message', (request: ParseRequest) => {
  if (request.type !== 'parse') return;
  void parse(request).then((result) => send({ type: 'parsed', result }));
});
// A DAG file's stray promise rejection must not kill the processor; it is reported with the file.
process.on('unhandledRejection', (reason) => {
  process.stderr.write(`Unhandled rejection while parsing: ${String(reason)}\n`);
});
process.on('disconnect', () => process.exit(0));
send({ type: 'ready' });
