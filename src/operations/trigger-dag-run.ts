import { UpdraftError } from '../contracts/errors.ts';
import type { JsonObject } from '../contracts/json.ts';
import { resolveParams } from '../contracts/params.ts';
import type { DagRunType } from '../contracts/states.ts';
import { type DataInterval, manualDataInterval, tasksAtEffectiveWeights } from '../core/index.ts';
import { createDagRunWithTaskInstances, getActiveDagVersionHash, getDagVersion, type DagRun, type Store } from '../store/index.ts';

export interface TriggerOptions {
  dagId: string;
  conf?: JsonObject;
  /** Default: now. */
  logicalDate?: number;
  runId?: string;
  note?: string | null;
  runType?: Extract<DagRunType, 'manual' | 'backfill'>;
  /** Backfill passes the interval its timetable planned; manual runs infer one from the logical date. */
  dataInterval?: DataInterval;
  triggeredBy: string;
  now: number;
}

/**
 * Creates a queued DAG run with its task instances, as Airflow's trigger does: the conf is validated
 * against the params schema here, so a bad conf is a 400 for the caller and never a run that fails
 * later. The run is picked up by the scheduler (even for a paused DAG, as in Airflow: a manual trigger
 * of a paused DAG waits until it is unpaused).
 */
export async function triggerDagRun(store: Store, options: TriggerOptions): Promise<DagRun> {
  const versionHash = await getActiveDagVersionHash(store.db, options.dagId);
  if (versionHash === null) {
    throw new UpdraftError('DAG_NOT_FOUND', `No active DAG "${options.dagId}"`, {
      hint: 'Check the DAG id with `updraft dags list`; a DAG whose file was removed cannot be triggered',
      details: { dagId: options.dagId },
    });
  }
  const latest = { versionHash, dag: await getDagVersion(store.db, options.dagId, versionHash) };
  const conf = options.conf ?? {};
  resolveParams(latest.dag.params, conf);
  const logicalDate = options.logicalDate ?? options.now;
  const runType = options.runType ?? 'manual';
  const interval = options.dataInterval ?? manualDataInterval(latest.dag.timetable, logicalDate);
  return createDagRunWithTaskInstances(
    store.db,
    {
      dagId: options.dagId,
      runId: options.runId ?? `${runType}__${new Date(logicalDate).toISOString()}`,
      runType,
      state: 'queued',
      logicalDate,
      dataIntervalStart: interval.start,
      dataIntervalEnd: interval.end,
      runAfter: options.now,
      conf,
      note: options.note ?? null,
      dagVersionHash: latest.versionHash,
      triggeredBy: options.triggeredBy,
      now: options.now,
    },
    tasksAtEffectiveWeights(latest.dag),
  );
}
