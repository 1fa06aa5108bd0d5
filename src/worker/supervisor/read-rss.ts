import { readFileSync } from 'node:fs';

/**
 * Resident memory of a process in bytes, from /proc/<pid>/status (`VmRSS:  12345 kB`), or null
 * where there is no procfs (macOS) or the process is gone. Synchronous on purpose: it is a tiny
 * kernel-generated file, read once per finished task, and the pool needs the answer before it
 * decides whether to hand the process out again.
 */
export function readRssBytes(pid: number): number | null {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return null;
  }
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  return match?.[1] === undefined ? null : Number(match[1]) * 1024;
}
