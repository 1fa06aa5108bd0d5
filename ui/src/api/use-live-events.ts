import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { keysToInvalidate, type QueryKey } from './query-keys.ts';

const EVENT_TYPES = ['dag_run', 'task_instance', 'dag', 'import_errors'] as const;
/** Events arrive in bursts (a run finishing touches every task): refetch once per burst. */
const BATCH_MS = 250;

/**
 * Subscribes to `/api/v1/events` and invalidates the queries each event makes stale, so every page
 * updates live without a manual refresh. EventSource reconnects by itself after a network error;
 * the server starts every stream with `ready`, and a `ready` after the first one means events may
 * have been missed while disconnected, so everything is refetched.
 */
export function useLiveEvents(enabled: boolean): void {
  const client = useQueryClient();
  useEffect(() => {
    if (!enabled) return undefined;
    const source = new EventSource('/api/v1/events', { withCredentials: true });
    const pending = new Map<string, QueryKey>();
    let timer: number | null = null;
    let connections = 0;
    const flush = (): void => {
      timer = null;
      for (const queryKey of pending.values()) void client.invalidateQueries({ queryKey });
      pending.clear();
    };
    const onEvent = (type: string) => (message: MessageEvent<string>) => {
      let data: Record<string, unknown> = {};
      try {
        const parsed: unknown = JSON.parse(message.data);
        if (typeof parsed === 'object' && parsed !== null) data = parsed as Record<string, unknown>;
      } catch {
        // A malformed event still tells us something changed: invalidate by type alone.
      }
      for (const queryKey of keysToInvalidate(type, data)) pending.set(JSON.stringify(queryKey), queryKey);
      timer ??= window.setTimeout(flush, BATCH_MS);
    };
    const listeners = EVENT_TYPES.map((type) => [type, onEvent(type)] as const);
    for (const [type, listener] of listeners) source.addEventListener(type, listener);
    const onReady = (): void => {
      connections += 1;
      if (connections > 1) void client.invalidateQueries();
    };
    source.addEventListener('ready', onReady);
    return () => {
      for (const [type, listener] of listeners) source.removeEventListener(type, listener);
      source.removeEventListener('ready', onReady);
      source.close();
      if (timer !== null) window.clearTimeout(timer);
    };
  }, [client, enabled]);
}
