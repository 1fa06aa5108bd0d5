import { UpdraftError } from '../contracts/errors.ts';
import { resolveParams } from '../contracts/params.ts';
import type { PreviousRunInfo, TaskRunContextData } from '../contracts/task-instance.ts';
import { getDagRun, getPreviousSuccessfulRun, type DagRun } from './queries/dag-runs.ts';
import type { Executor } from './queries/executor.ts';
import { getSerializedDagVersion } from './queries/serialized-dags.ts';
import type { TaskInstance } from './queries/task-instances.ts';

/**
 * Everything a starting try needs from the store: its run (dates as ISO strings), itself, the
 * previous successful run for prev_*_success, and params resolved against the DAG version the run
 * was created with (not the latest one: a run keeps the shape it started with).
 */
export async function buildTaskRunContext(db: Executor, ti: TaskInstance): Promise<TaskRunContextData> {
  const run = await getDagRun(db, ti);
  if (run === null) {
    throw new UpdraftError('DAG_RUN_NOT_FOUND', `No DAG run ${ti.dagId}/${ti.runId}`, { details: { dagId: ti.dagId, runId: ti.runId } });
  }
  const version = await getSerializedDagVersion(db, run.dagId, run.dagVersionHash);
  if (version === null) {
    throw new UpdraftError('DAG_NOT_FOUND', `DAG ${run.dagId} has no serialized version ${run.dagVersionHash} for run ${run.runId}`, {
      hint: 'The DAG was deleted or its versions were removed; re-parse the DAG folder and trigger a new run',
      details: { dagId: run.dagId, versionHash: run.dagVersionHash },
    });
  }
  const previous = run.logicalDate === null ? null : await getPreviousSuccessfulRun(db, run.dagId, run.logicalDate);
  return {
    dagRun: {
      dagId: run.dagId,
      runId: run.runId,
      runType: run.runType,
      state: run.state,
      logicalDate: iso(run.logicalDate),
      dataIntervalStart: iso(run.dataIntervalStart),
      dataIntervalEnd: iso(run.dataIntervalEnd),
      runAfter: new Date(run.runAfter).toISOString(),
      startDate: iso(run.startDate),
      conf: run.conf,
    },
    ti: {
      dagId: ti.dagId,
      runId: ti.runId,
      taskId: ti.taskId,
      mapIndex: ti.mapIndex,
      tryNumber: ti.tryNumber,
      maxTries: ti.maxTries,
      state: ti.state,
      hostname: ti.hostname,
      pid: ti.pid,
      pool: ti.pool,
      queue: ti.queue,
      priorityWeight: ti.priorityWeight,
      startDate: iso(ti.startDate),
    },
    previous: previousInfo(previous),
    params: resolveParams(version.dag.params, run.conf),
  };
}

function previousInfo(run: DagRun | null): PreviousRunInfo {
  return {
    prevDataIntervalStartSuccess: iso(run?.dataIntervalStart ?? null),
    prevDataIntervalEndSuccess: iso(run?.dataIntervalEnd ?? null),
    prevStartDateSuccess: iso(run?.startDate ?? null),
    prevEndDateSuccess: iso(run?.endDate ?? null),
  };
}

function iso(millis: number | null): string | null {
  return millis === null ? null : new Date(millis).toISOString();
}
