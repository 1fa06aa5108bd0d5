import { readFileSync } from 'node:fs';

/** The machine-wide CPU counters of /proc/stat that say how much time the guest got. */
interface CpuTicks {
  /** Every tick the virtual CPUs counted, steal included. */
  total: number;
  /** Ticks a virtual CPU was ready to run but the hypervisor ran something else. */
  steal: number;
}

/** Null off Linux or where /proc is not readable: the figure is then simply not reported. */
function readCpuTicks(): CpuTicks | null {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal (guest and guest_nice are already in user and nice).
    const counted = fields.slice(0, 8);
    if (counted.length < 8 || counted.some((value) => !Number.isFinite(value))) return null;
    return { total: counted.reduce((sum, value) => sum + value, 0), steal: counted[7]! };
  } catch {
    return null;
  }
}

const atStart = readCpuTicks();

/**
 * The share of this benchmark's CPU time, in percent of all the virtual CPUs' time since this
 * module was loaded, that the hypervisor gave to other guests. On a shared host this swings from
 * 0 to well over 10% within minutes, and every figure measured meanwhile moves with it: it is
 * reported beside the figures so that a slow run can be told from a slower Updraft.
 */
export function cpuStealPercentSinceStart(): number | null {
  const now = readCpuTicks();
  if (atStart === null || now === null || now.total <= atStart.total) return null;
  return ((now.steal - atStart.steal) / (now.total - atStart.total)) * 100;
}
