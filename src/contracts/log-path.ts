import type { TaskTryKey } from './task-instance.ts';

/**
 * Where a try's log lives, relative to the logs folder. Airflow's layout, so that log shipping
 * tools written for Airflow find the files. Ids are encoded so a run id cannot climb out of the folder.
 */
export function taskLogPath(key: TaskTryKey): string {
  const mapPart = key.mapIndex >= 0 ? `/map_index=${key.mapIndex}` : '';
  return `dag_id=${encode(key.dagId)}/run_id=${encode(key.runId)}/task_id=${encode(key.taskId)}${mapPart}/attempt=${key.tryNumber}.log`;
}

function encode(part: string): string {
  return encodeURIComponent(part).replace(/^\.+$/, (dots) => '%2E'.repeat(dots.length));
}
