import { open } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import { UpdraftError } from '../../contracts/errors.ts';
import { taskLogPath } from '../../contracts/log-path.ts';
import type { TaskTryKey } from '../../contracts/task-instance.ts';

/**
 * The absolute file of a try's log. The ids come from the request, so the path is resolved and
 * must stay inside the logs folder even though taskLogPath already encodes the ids.
 */
export function logFileOf(logsFolder: string, key: TaskTryKey): string {
  const root = resolve(logsFolder);
  const file = resolve(root, taskLogPath(key));
  if (!file.startsWith(root + sep)) {
    throw new UpdraftError('INVALID_ARGUMENT', 'The log path leaves the logs folder', { details: { field: '/params' } });
  }
  return file;
}

export interface LogChunk {
  bytes: Buffer;
  /** Where the next read should start. */
  nextOffset: number;
  /** The file's size when read. */
  size: number;
}

/** Reads at most `limit` bytes from `offset`; null when the file does not exist (yet). */
export async function readLogChunk(file: string, offset: number, limit: number): Promise<LogChunk | null> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return null;
    throw error;
  }
  try {
    const { size } = await handle.stat();
    const start = Math.min(offset, size);
    const length = Math.min(limit, size - start);
    const bytes = Buffer.alloc(length);
    const { bytesRead } = length === 0 ? { bytesRead: 0 } : await handle.read(bytes, 0, length, start);
    return { bytes: bytes.subarray(0, bytesRead), nextOffset: start + bytesRead, size };
  } finally {
    await handle.close();
  }
}
