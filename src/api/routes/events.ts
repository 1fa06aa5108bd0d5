import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { ApiContext } from '../api-context.ts';
import { responses } from '../schemas/common.ts';

const HEARTBEAT_MS = 15_000;

/**
 * Server-sent events of state changes (`dag_run`, `task_instance`, `dag`, `import_errors`), fed by
 * the process-wide StateEventHub, with a comment line every 15 s so proxies keep the stream open.
 */
export const eventRoutes: FastifyPluginAsyncTypebox<ApiContext> = async (app, context) => {
  app.get(
    '/events',
    {
      schema: {
        tags: ['events'],
        summary: 'Stream of state changes (text/event-stream)',
        description: 'First `ready` (every change after it is reported), then: dag_run {dag_id, run_id, state}; task_instance {dag_id, run_id, task_id, map_index, state, try_number}; dag {dag_id, is_paused, is_active, version_hash}; import_errors {count}.',
        produces: ['text/event-stream'],
        response: responses({ 200: Type.String({ description: 'text/event-stream' }) }),
      },
    },
    async (request, reply) => {
      reply.hijack();
      const out = reply.raw;
      out.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
      out.write('retry: 2000\n\n');
      const send = (text: string) => {
        if (!out.writableEnded && !out.destroyed) out.write(text);
      };
      const { ready, unsubscribe } = context.events.subscribe((events) => {
        for (const event of events) send(`event: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n`);
      });
      void ready.then(() => send('event: ready\ndata: {}\n\n'));
      const heartbeat = setInterval(() => send(': heartbeat\n\n'), HEARTBEAT_MS);
      request.raw.on('close', () => {
        clearInterval(heartbeat);
        unsubscribe();
      });
    },
  );
};
