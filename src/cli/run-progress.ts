import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { taskLogPath } from '../contracts/log-path.ts';
import type { SerializedDag } from '../contracts/serialized-dag.ts';
import type { ForegroundRunEvent } from '../scheduler/foreground-run.ts';
import { colorState, println } from './output.ts';

const FAILED_LOG_TAIL_LINES = 30;

/**
 * Live progress of a foreground run: one line per task start and end, the log tail of failed tries
 * (or every log with `showLogs`), and a summary.
 */
export function createRunProgress(dag: SerializedDag, logsFolder: string, showLogs: boolean): { onEvent: (event: ForegroundRunEvent) => void } {
  const width = Math.max(...dag.tasks.map((task) => task.taskId.length), 8);
  const started = Date.now();
  let runId = '';
  const printLog = (taskId: string, tryNumber: number, tailLines: number | null): void => {
    const path = join(logsFolder, taskLogPath({ dagId: dag.dagId, runId, taskId, mapIndex: -1, tryNumber }));
    let lines: string[];
    try {
      lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    } catch {
      return;
    }
    const shown = tailLines === null ? lines : lines.slice(-tailLines);
    println(`    ┌ log ${path}${shown.length < lines.length ? ` (last ${shown.length} lines)` : ''}`);
    for (const line of shown) println(`    │ ${line}`);
    println('    └');
  };

  return {
    onEvent(event) {
      switch (event.type) {
        case 'run_created':
          runId = event.runId;
          println(`DAG ${dag.dagId}: run ${event.runId} (logical date ${new Date(event.logicalDate).toISOString()})`);
          break;
        case 'task_started':
          println(`  ▸ ${event.taskId.padEnd(width)}  try ${event.tryNumber}  running`);
          break;
        case 'task_finished': {
          println(`  ${event.state === 'success' ? '✔' : '•'} ${event.taskId.padEnd(width)}  try ${event.tryNumber}  ${colorState(event.state)}  ${event.durationMs} ms`);
          const failedTry = event.state === 'failed' || event.state === 'up_for_retry';
          if (showLogs || failedTry) printLog(event.taskId, event.tryNumber, showLogs ? null : FAILED_LOG_TAIL_LINES);
          break;
        }
        case 'tasks_marked':
          for (const taskId of event.taskIds) println(`  • ${taskId.padEnd(width)}         ${colorState(event.state)}`);
          break;
        case 'waiting_for_retry':
          println(`    waiting until ${new Date(event.until).toISOString()} to retry ${event.taskId}`);
          break;
        case 'run_finished':
          println(`Run ${runId} finished: ${colorState(event.state)} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
          break;
      }
    },
  };
}
