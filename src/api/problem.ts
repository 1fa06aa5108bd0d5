import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ERROR_CODES, UpdraftError, type ErrorCode } from '../contracts/errors.ts';
import { httpStatusFor } from './error-status.ts';

/** An RFC 9457 problem document as the API sends it. */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  field?: string;
  hint?: string;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

export function problemFor(code: ErrorCode, status: number, detail: string, extra: { field?: string | undefined; hint?: string | undefined } = {}): ProblemBody {
  return {
    type: `urn:updraft:problem:${code}`,
    title: ERROR_CODES[code],
    status,
    detail,
    code,
    ...(extra.field === undefined ? {} : { field: extra.field }),
    ...(extra.hint === undefined ? {} : { hint: extra.hint }),
  };
}

export function sendProblem(reply: FastifyReply, problem: ProblemBody): FastifyReply {
  if (problem.code === 'AUTH_REQUIRED') reply.header('www-authenticate', 'Bearer realm="updraft"');
  return reply.code(problem.status).type(PROBLEM_CONTENT_TYPE).send(problem);
}

/**
 * Installs the one error handler: Updraft errors by their code, Fastify's request errors (bad JSON,
 * schema validation, body too large...) as 4xx naming the field, and anything else as a 500 that is
 * logged and never shows internals.
 */
export function installProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | UpdraftError | Error, request, reply) => {
    if (error instanceof UpdraftError && typeof error.details.retryAfterSeconds === 'number') reply.header('retry-after', String(error.details.retryAfterSeconds));
    return sendProblem(reply, toProblem(error, request));
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, problemFor('ROUTE_NOT_FOUND', 404, `No endpoint ${request.method} ${request.url.split('?')[0] ?? ''}`, { hint: 'See /api/v1/openapi.json' })),
  );
}

/** Errors Fastify raises before routing (a malformed URL, a bad Content-Type header...). */
export function frameworkErrorHandler(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const status = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
  void sendProblem(reply, problemFor('INVALID_ARGUMENT', status, error.message));
}

function toProblem(error: FastifyError | UpdraftError | Error, request: FastifyRequest): ProblemBody {
  if (error instanceof UpdraftError) {
    const status = httpStatusFor(error.code);
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    const field = typeof error.details.field === 'string' ? error.details.field : undefined;
    return problemFor(error.code, status, error.message, { field, hint: error.hint });
  }
  const fastifyError = error as FastifyError;
  if (fastifyError.validation !== undefined) {
    const first = fastifyError.validation[0];
    const context = fastifyError.validationContext === 'querystring' ? 'query' : (fastifyError.validationContext ?? 'body');
    const params = (first?.params ?? {}) as { missingProperty?: string; additionalProperty?: string };
    const leaf = params.missingProperty ?? params.additionalProperty;
    const field = `/${context}${first?.instancePath ?? ''}${leaf === undefined ? '' : `/${leaf}`}`;
    return problemFor('INVALID_ARGUMENT', 400, `${field}: ${first?.message ?? 'is invalid'}`, { field, hint: 'See the request schema in /api/v1/openapi.json' });
  }
  const status = fastifyError.statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    const code: ErrorCode = status === 413 ? 'REQUEST_TOO_LARGE' : status === 404 ? 'ROUTE_NOT_FOUND' : 'INVALID_ARGUMENT';
    return problemFor(code, status, error.message);
  }
  request.log.error({ err: error }, 'unexpected error');
  return problemFor('INTERNAL', 500, 'Internal server error', { hint: 'The server log has the details' });
}
