import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Task processes are spawned `detached`, so each leads its own process group whose id is its pid.
 * Signalling `-pid` reaches the task process and everything it started (bash, its children),
 * which is how a timeout or a kill leaves no orphans behind.
 */

/** Sends `signal` to the whole group. Returns false when the group no longer exists. */
export function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}

/** True while any process (a zombie included) is still in the group. */
export function isGroupAlive(pgid: number): boolean {
  return signalGroup(pgid, 0);
}

const GROUP_POLL_MS = 20;

/**
 * SIGTERM the group, give it `graceMs` to exit, then SIGKILL whatever is left. Resolves once the
 * SIGKILL (if any) is sent; the kernel then tears the processes down.
 */
export async function terminateGroup(pgid: number, graceMs: number): Promise<void> {
  if (!signalGroup(pgid, 'SIGTERM')) return;
  // Polling is the only portable way to notice that grandchildren (which are not our children and
  // emit no events) have gone; it ends as soon as the group is empty.
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    await sleep(GROUP_POLL_MS);
    if (!isGroupAlive(pgid)) return;
  }
  signalGroup(pgid, 'SIGKILL');
}
