import { useEffect, useState } from 'react';
import { buildUrl } from '../../../api/client.ts';
import { problemFrom, type ApiProblem } from '../../../api/problem.ts';
import type { TiRef } from '../../../api/hooks/task-instances.ts';

export interface LogStream {
  text: string;
  /** True while bytes may still arrive (the try is running and we follow it). */
  live: boolean;
  problem: ApiProblem | null;
}

const LOG_PATH = '/api/v1/dags/{dag_id}/dagRuns/{run_id}/taskInstances/{task_id}/logs/{try_number}';
/** Re-render at most this often while bytes stream in, however fast they come. */
const FLUSH_MS = 100;

/**
 * A try's log. With `follow`, reads the `?follow=true` stream, which the server keeps open while
 * the try runs and ends when it finished, so a running task's log tails live.
 */
export function useLogStream(target: TiRef, tryNumber: number, follow: boolean): LogStream {
  const [stream, setStream] = useState<LogStream>({ text: '', live: follow, problem: null });
  const { dagId, runId, taskId } = target;
  useEffect(() => {
    const controller = new AbortController();
    let text = '';
    let timer: number | null = null;
    const flush = (): void => {
      timer = null;
      setStream((current) => ({ ...current, text }));
    };
    setStream({ text: '', live: follow, problem: null });
    const url = buildUrl(LOG_PATH, { dag_id: dagId, run_id: runId, task_id: taskId, try_number: tryNumber }, follow ? { follow: true } : {});
    (async () => {
      const response = await fetch(url, { credentials: 'same-origin', signal: controller.signal, headers: { Accept: 'text/plain' } });
      if (!response.ok) {
        const problem = await problemFrom(response);
        setStream({ text: '', live: false, problem });
        return;
      }
      const reader = response.body?.getReader();
      const decoder = new TextDecoder();
      if (reader === undefined) {
        text = await response.text();
      } else {
        for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
          text += decoder.decode(chunk.value, { stream: true });
          timer ??= window.setTimeout(flush, FLUSH_MS);
        }
        text += decoder.decode();
      }
      if (timer !== null) window.clearTimeout(timer);
      setStream({ text, live: false, problem: null });
    })().catch((error: unknown) => {
      if (!controller.signal.aborted) setStream((current) => ({ ...current, live: false, problem: null, text: `${current.text}\n[log stream interrupted: ${String(error)}]` }));
    });
    return () => {
      controller.abort();
      if (timer !== null) window.clearTimeout(timer);
    };
  }, [dagId, runId, taskId, tryNumber, follow]);
  return stream;
}
