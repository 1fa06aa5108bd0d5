import { UpdraftError } from '../contracts/errors.ts';
import type { BaseOperator } from './base-operator.ts';

/**
 * Which direct downstream tasks a branch skips: all but the chosen ones (Airflow's
 * BranchMixIn.skip_all_except). A chosen id may name a task group: its tasks directly downstream
 * of the branch are followed. `null` or `[]` follows nothing.
 */
export function branchSkips(task: BaseOperator, chosen: unknown): string[] {
  const ids = chosen === null || chosen === undefined ? [] : Array.isArray(chosen) ? chosen : [chosen];
  if (!ids.every((id): id is string => typeof id === 'string')) {
    throw branchError(task, `branch must return a task id, a list of task ids or null, got ${JSON.stringify(chosen)}`);
  }
  const downstream = task.downstreamTaskIds;
  const followed = new Set<string>();
  for (const id of ids) {
    if (downstream.has(id)) {
      followed.add(id);
      continue;
    }
    const inGroup = [...downstream].filter((candidate) => candidate.startsWith(`${id}.`) && task.host.tasksInGroup(id).some((member) => member.taskId === candidate));
    if (inGroup.length === 0) {
      throw branchError(task, `branch chose "${id}", which is not a task or group directly downstream of "${task.taskId}"`);
    }
    for (const member of inGroup) followed.add(member);
  }
  return [...downstream].filter((id) => !followed.has(id)).sort();
}

/**
 * What a falsy short-circuit condition skips: every task downstream (default, Airflow's
 * ignore_downstream_trigger_rules=True) or only the direct ones, leaving the rest to their trigger rules.
 */
export function shortCircuitSkips(task: BaseOperator, condition: unknown, ignoreDownstreamTriggerRules: boolean): string[] {
  if (condition) return [];
  if (!ignoreDownstreamTriggerRules) return [...task.downstreamTaskIds].sort();
  const seen = new Set<string>();
  const queue = [...task.downstreamTaskIds];
  for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
    if (seen.has(id)) continue;
    seen.add(id);
    queue.push(...task.host.downstreamOf(id));
  }
  return [...seen].sort();
}

function branchError(task: BaseOperator, message: string): UpdraftError {
  return new UpdraftError('TASK_FAILED', `Task "${task.taskId}" of DAG "${task.dagId}": ${message}`, {
    hint: `Return ids among: ${[...task.downstreamTaskIds].sort().join(', ') || '(no downstream tasks)'}`,
    details: { dagId: task.dagId, taskId: task.taskId },
  });
}
