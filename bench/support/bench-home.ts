import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** Where benchmarks keep their UPDRAFT_HOME folders: bench/.work (git-ignored) unless UPDRAFT_BENCH_DIR names another. */
export const BENCH_WORK_DIR = process.env.UPDRAFT_BENCH_DIR ?? join(import.meta.dirname, '..', '.work');

/**
 * A fresh folder for one benchmark's UPDRAFT_HOME (database, task logs, DAG files), under
 * bench/.work rather than the system temp folder. On ext4 without a journal (this machine's `/`),
 * creating a file in a block group where many files were deleted in the last minutes scans those
 * inodes, up to a millisecond of kernel CPU per file (ADR 0011); `npm test` deletes tens of
 * thousands in /tmp, so a try's log file there would measure the file system's recent past, not
 * Updraft.
 */
export function createBenchHome(name: string): string {
  mkdirSync(BENCH_WORK_DIR, { recursive: true });
  // ext4's "top directory" flag makes the allocator spread the folders created in it over block
  // groups, so a home rarely shares one with the files an earlier benchmark deleted. Best effort:
  // other file systems (or a missing chattr) just skip it.
  spawnSync('chattr', ['+T', BENCH_WORK_DIR], { stdio: 'ignore' });
  return mkdtempSync(join(BENCH_WORK_DIR, `${name}-`));
}

/**
 * Removes a benchmark's folder, unless the runner of all benchmarks keeps them until the end
 * (UPDRAFT_BENCH_KEEP_HOMES=1): thousands of deletions would slow the next benchmark's file creation.
 */
export function removeBenchHome(home: string): void {
  if (process.env.UPDRAFT_BENCH_KEEP_HOMES === '1') return;
  rmSync(home, { recursive: true, force: true });
}
