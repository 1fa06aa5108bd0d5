import { stat } from 'node:fs/promises';

/**
 * What identifies a version of a file without reading it: modification time (nanosecond precision
 * where the file system has it) and size. Used to skip unchanged files and as the parse cacheBust.
 * Null when the path is not a regular file (anymore).
 */
export async function fileFingerprint(file: string): Promise<string | null> {
  try {
    const info = await stat(file, { bigint: true });
    return info.isFile() ? `${info.mtimeNs}-${info.size}` : null;
  } catch (error) {
    if (['ENOENT', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '')) return null;
    throw error;
  }
}
