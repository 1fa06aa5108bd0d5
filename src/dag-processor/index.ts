/** The DAG processor: discovers DAG files, imports them in isolated processes and keeps the store in step. */
export { DagProcessor, type DagProcessorEvent, type DagProcessorOptions } from './dag-processor.ts';
export { dagProcessorSettings, type DagProcessorSettings } from './settings-from-config.ts';
export { DAG_PROCESSOR_JOB_TYPE } from './processor-job.ts';
export { parseDagFoldersIntoStore, type ParseFoldersOptions, type ParseFoldersOutcome } from './parse-dag-folders.ts';
export type { SyncSummary } from './sync-results.ts';
