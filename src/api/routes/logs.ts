import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { setTimeout as sleep } from 'node:timers/promises';
import { Type } from 'typebox';
import { getTaskInstance } from '../../store/index.ts';
import { getTryStatus } from '../../store/queries/task-tries.ts';
import type { TaskTryKey } from '../../contracts/task-instance.ts';
import type { ApiContext } from '../api-context.ts';
import { logFileOf, readLogChunk } from '../logs/task-log-file.ts';
import { found } from '../not-found.ts';
import { Id, MapIndex, responses } from '../schemas/common.ts';
import { describe } from './task-instances.ts';

const LogParams = Type.Object({ dag_id: Id, run_id: Id, task_id: Id, try_number: Type.Integer({ minimum: 1, maximum: 100_000 }) });
const LogQuery = Type.Object({
  map_index: Type.Optional(MapIndex),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, default: 0, description: 'First byte to return' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_485_760, default: 1_048_576, description: 'Most bytes to return' })),
  follow: Type.Optional(Type.Boolean({ default: false, description: 'Stream new bytes while the try runs; the response ends when it finished' })),
});
const FOLLOW_POLL_MS = 500;
/** States in which a try may still write to its log. */
const STILL_WRITING = new Set(['running', 'queued', 'scheduled', 'restarting', 'up_for_reschedule', 'deferred']);

/**
 * A try's log as plain text. Without `follow`: the byte range [offset, offset+limit) with
 * X-Log-Offset (next offset) and X-Log-Size headers. With `follow`: a chunked stream of everything
 * from offset on, polling the file while the try is still running.
 */
export const logRoutes: FastifyPluginAsyncTypebox<ApiContext> = async (app, context) => {
  const { store } = context;
  const logsFolder = context.config.logging.base_log_folder;

  app.get(
    '/dags/:dag_id/dagRuns/:run_id/taskInstances/:task_id/logs/:try_number',
    {
      schema: {
        tags: ['task instances'],
        summary: 'Log of one try (byte ranges; follow streams while it runs)',
        params: LogParams,
        querystring: LogQuery,
        response: responses({ 200: Type.String({ description: 'text/plain log bytes; X-Log-Offset is the next offset' }) }),
      },
    },
    async (request, reply) => {
      const { params, query } = request;
      const key: TaskTryKey = { dagId: params.dag_id, runId: params.run_id, taskId: params.task_id, mapIndex: query.map_index ?? -1, tryNumber: params.try_number };
      const file = logFileOf(logsFolder, key);
      const ti = found(await getTaskInstance(store.db, key), 'TASK_INSTANCE_NOT_FOUND', describe(key));
      const offset = query.offset ?? 0;
      if (query.follow !== true) {
        const chunk = found(await readLogChunk(file, offset, query.limit ?? 1_048_576), 'LOG_NOT_FOUND', `No log for try ${key.tryNumber} of ${key.taskId} (the task instance is ${ti.state})`);
        return reply.type('text/plain; charset=utf-8').header('x-log-offset', String(chunk.nextOffset)).header('x-log-size', String(chunk.size)).send(chunk.bytes);
      }
      reply.hijack();
      reply.raw.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' });
      let closed = false;
      request.raw.on('close', () => {
        closed = true;
      });
      let position = offset;
      while (!closed) {
        const writing = await stillWriting(key);
        const chunk = await readLogChunk(file, position, 1_048_576);
        if (chunk !== null && chunk.bytes.length > 0) {
          reply.raw.write(chunk.bytes);
          position = chunk.nextOffset;
          continue;
        }
        // Checked before the read: a try that finished has flushed its last bytes, which were just read.
        if (!writing) break;
        await sleep(FOLLOW_POLL_MS);
      }
      reply.raw.end();
    },
  );

  async function stillWriting(key: TaskTryKey): Promise<boolean> {
    const attempt = await getTryStatus(store.db, key);
    if (attempt !== null) return attempt.state === 'running';
    // The try has not started yet: wait for it only if the TI is on its way to that try.
    const ti = await getTaskInstance(store.db, key);
    return ti !== null && STILL_WRITING.has(ti.state) && ti.tryNumber <= key.tryNumber;
  }
};
