import type { UpdraftConfig } from '../config/index.ts';
import type { DagProcessorOptions } from './dag-processor.ts';

export type DagProcessorSettings = Pick<
  DagProcessorOptions,
  'timeoutSeconds' | 'pausedAtCreation' | 'parsingProcesses' | 'refreshIntervalSeconds' | 'debounceMs' | 'heartbeatSeconds'
>;

/** The DagProcessor options that come from configuration, so that every launcher reads the same keys. */
export function dagProcessorSettings(config: UpdraftConfig): DagProcessorSettings {
  return {
    timeoutSeconds: config.core.dag_import_timeout,
    pausedAtCreation: config.core.dags_are_paused_at_creation,
    parsingProcesses: config.dag_processor.parsing_processes,
    refreshIntervalSeconds: config.dag_processor.refresh_interval_seconds,
    debounceMs: config.dag_processor.watch_debounce_ms,
    heartbeatSeconds: config.dag_processor.job_heartbeat_seconds,
  };
}
