import { UpdraftError } from '../contracts/errors.ts';
import { resolveParams } from '../contracts/params.ts';
import type { PreviousRunInfo, TaskRunContextData } from '../contracts/task-instance.ts';
import { getDagVersion } from './dag-versions.ts';
import { getDagRunWithPreviousSuccess, type RunWithPreviousSuccess, type SuccessDates } from './queries/dag-runs.ts';
import type { Executor } from './queries/executor.ts';
import type { TaskInstance } from './queries/task-instances.ts';
import type { UnitBatch } from './unit-batch.ts';

/**
 * The run of a starting try with its previous success. Tries that start in one group-commit batch
 * mostly share their run: it is read once for all of them.
 */
export async function readRunOfTry(db: Executor, ti: TaskInstance, batch: Pick<UnitBatch, 'once'>): Promise<RunWithPreviousSuccess> {
  const found = await batch.once(`run\u0000${ti.dagId}\u0000${ti.runId}`, () => getDagRunWithPreviousSuccess(db, ti));
  if (found === null) {
    throw new UpdraftError('DAG_RUN_NOT_FOUND', `No DAG run ${ti.dagId}/${ti.runId}`, { details: { dagId: ti.dagId, runId: ti.runId } });
  }
  return found;
}

/**
 * Everything a starting try needs from the store: its run (dates as ISO strings), itself, the
 * previous successful run for prev_*_success, and params resolved against the DAG version the run
 * was created with (not the latest one: a run keeps the shape it started with).
 */
export async function buildTaskRunContext(
  db: Executor,
  ti: TaskInstance,
  { run, previousSuccess }: RunWithPreviousSuccess,
  limits: { xcomMaxBytes: number },
): Promise<TaskRunContextData> {
  const { params } = await getDagVersion(db, run.dagId, run.dagVersionHash);
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
    previous: previousInfo(previousSuccess),
    params: resolveParams(params, run.conf),
    xcomMaxBytes: limits.xcomMaxBytes,
  };
}

function previousInfo(run: SuccessDates | null): PreviousRunInfo {
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
