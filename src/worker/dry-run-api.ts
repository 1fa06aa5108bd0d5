import type { JsonValue } from '../contracts/json.ts';
import { resolveParams } from '../contracts/params.ts';
import type { SerializedDag } from '../contracts/serialized-dag.ts';
import type { TaskInstanceState } from '../contracts/states.ts';
import type { TaskExecutionApi } from '../contracts/task-execution-api.ts';
import type { DagRunInfo, TaskRunContextData } from '../contracts/task-instance.ts';

export interface DryRunRecord {
  renderedFields: Record<string, JsonValue> | null;
  xcoms: Map<string, JsonValue>;
  skippedTasks: string[];
  finalState: TaskInstanceState | null;
}

/**
 * A TaskExecutionApi for `tasks test` and `tasks render`: like Airflow's, the task runs without its
 * dependencies and nothing about the try is written to the store. Variables, connections and the
 * XComs of earlier real runs are still read from `base`; what the task writes is kept in `record`.
 */
export function createDryRunTaskExecutionApi(base: TaskExecutionApi, dag: SerializedDag, run: DagRunInfo): { api: TaskExecutionApi; record: DryRunRecord } {
  const record: DryRunRecord = { renderedFields: null, xcoms: new Map(), skippedTasks: [], finalState: null };
  const api: TaskExecutionApi = {
    async startTry(key, host): Promise<TaskRunContextData> {
      const task = dag.tasks.find((t) => t.taskId === key.taskId);
      return {
        dagRun: run,
        ti: {
          ...key,
          maxTries: task?.retries ?? 0,
          state: 'running',
          hostname: host.hostname,
          pid: host.pid,
          pool: task?.pool ?? 'default_pool',
          queue: task?.queue ?? 'default',
          priorityWeight: task?.priorityWeight ?? 1,
          startDate: new Date().toISOString(),
        },
        previous: { prevDataIntervalStartSuccess: null, prevDataIntervalEndSuccess: null, prevStartDateSuccess: null, prevEndDateSuccess: null },
        params: resolveParams(dag.params, run.conf),
        xcomMaxBytes: null,
      };
    },
    async heartbeat() {},
    async finishTry(_key, outcome) {
      // The return value travels with the success, as it does to the store.
      if (outcome.state === 'success' && outcome.returnValue !== undefined) record.xcoms.set('return_value', outcome.returnValue);
      record.finalState = outcome.state;
      return outcome.state;
    },
    async setRenderedFields(_key, fields) {
      record.renderedFields = fields;
    },
    getVariable: (key) => base.getVariable(key),
    getConnection: (connId) => base.getConnection(connId),
    async pushXCom(_key, xcomKey, value) {
      record.xcoms.set(xcomKey, value);
    },
    // Upstream XComs come from an earlier real run with the same run id, if there was one.
    pullXCom: (query) => base.pullXCom(query),
    async skipTasks(_run, taskIds) {
      record.skippedTasks.push(...taskIds);
    },
  };
  return { api, record };
}
