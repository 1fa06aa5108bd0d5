import { csrfHeaders } from './csrf.ts';
import { problemFrom } from './problem.ts';
import type { paths } from './schema.d.ts';

/**
 * A small typed client over the OpenAPI types generated into schema.d.ts (`npm run ui:api-types`):
 * the path, its parameters, the body and the answer are all checked against the server's document,
 * so an API change that breaks the UI fails `tsc` instead of a user's click.
 */
export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** Paths that have an operation for `M`. */
export type PathsWith<M extends Method> = {
  [P in keyof paths]: undefined extends paths[P][M] ? never : P;
}[keyof paths];

type Operation<P extends keyof paths, M extends Method> = NonNullable<paths[P][M]>;

type ParamsOf<O> = O extends { parameters: infer Params } ? Params : never;
type PathParams<O> = ParamsOf<O> extends { path: infer Path } ? Path : never;
type QueryParams<O> = ParamsOf<O> extends { query?: infer Query } ? Query : never;
type BodyOf<O> = O extends { requestBody?: { content: { 'application/json': infer Body } } } ? Body : never;

type JsonOf<R> = R extends { content: { 'application/json': infer Body } } ? Body : undefined;
type Responses<O> = O extends { responses: infer All } ? All : never;
/** The body of the 200/201/204 answer. */
export type Success<O> = Responses<O> extends infer All
  ? All extends { 200: infer Ok }
    ? JsonOf<Ok>
    : All extends { 201: infer Created }
      ? JsonOf<Created>
      : undefined
  : never;

type Options<O> = ([PathParams<O>] extends [never] | [undefined] ? { path?: undefined } : { path: PathParams<O> }) & {
  query?: QueryParams<O>;
  body?: BodyOf<O>;
  signal?: AbortSignal;
};

export type ApiResult<P extends PathsWith<M>, M extends Method> = Success<Operation<P, M>>;
export type ApiOptions<P extends PathsWith<M>, M extends Method> = Options<Operation<P, M>>;

/** `/dags/{dag_id}` with its path parameters filled in, plus the query string. */
export function buildUrl(template: string, path?: Record<string, unknown>, query?: Record<string, unknown>): string {
  const filled = template.replace(/\{([^}]+)\}/g, (_match, name: string) => encodeURIComponent(String(path?.[name] ?? '')));
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) for (const item of value) search.append(key, String(item));
    else search.append(key, String(value));
  }
  const text = search.toString();
  return text === '' ? filled : `${filled}?${text}`;
}

export async function api<M extends Method, P extends PathsWith<M>>(method: M, path: P, options: ApiOptions<P, M>): Promise<ApiResult<P, M>> {
  const { path: pathParams, query, body, signal } = options as { path?: Record<string, unknown>; query?: Record<string, unknown>; body?: unknown; signal?: AbortSignal };
  const upper = method.toUpperCase();
  const headers: Record<string, string> = { Accept: 'application/json', ...csrfHeaders(upper) };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(buildUrl(path, pathParams, query), {
    method: upper,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? null : JSON.stringify(body),
    signal: signal ?? null,
  });
  if (!response.ok) throw await problemFrom(response);
  if (response.status === 204) return undefined as ApiResult<P, M>;
  const text = await response.text();
  return (text === '' ? undefined : JSON.parse(text)) as ApiResult<P, M>;
}

/** A GET, the common case. */
export function apiGet<P extends PathsWith<'get'>>(path: P, options: ApiOptions<P, 'get'>): Promise<ApiResult<P, 'get'>> {
  return api('get', path, options);
}
