import type { ConnectionData } from '../../contracts/connection.ts';
import type { UpdraftError } from '../../contracts/errors.ts';
import type { MacroFunction, TaskContext } from '../../sdk/index.ts';
import { connectionMissing, parseVariableJson, variableMissing, type TaskServices } from './context.ts';
import type { TemplateLookups } from './lookups.ts';

/**
 * The object templates render against: the task context, with synchronous `var`, `conn` and
 * `ti.xcom_pull` that read through `lookups` (see lookups.ts), and the DAG's user macros at the
 * top level as in Airflow.
 */
export function templateView(
  context: TaskContext,
  lookups: TemplateLookups,
  services: TaskServices,
  userDefinedMacros: Readonly<Record<string, MacroFunction>>,
): Record<string, unknown> {
  const variable = (key: string): string | null | undefined => lookups.read(`var:${key}`, () => services.getVariable(key)) as string | null | undefined;
  const readValue = (key: string, defaultValue?: unknown): unknown => {
    const raw = variable(key);
    if (raw !== null) return raw;
    if (defaultValue === undefined) lookups.reportMissing(variableMissing(key));
    return defaultValue;
  };
  const readJson = (key: string, defaultValue?: unknown): unknown => {
    const raw = readValue(key, defaultValue);
    if (typeof raw !== 'string' || raw === defaultValue) return raw;
    try {
      return parseVariableJson(key, raw);
    } catch (error) {
      lookups.reportMissing(error as UpdraftError);
      return undefined;
    }
  };
  const readConnection = (connId: string): unknown => {
    const connection = lookups.read(`conn:${connId}`, () => services.getConnection(connId)) as ConnectionData | null | undefined;
    if (connection === null) lookups.reportMissing(connectionMissing(connId));
    // Airflow's Connection attribute names, for templates copied from Airflow.
    return connection ? { ...connection, conn_id: connection.connId, conn_type: connection.connType, extra_dejson: connection.extra } : undefined;
  };
  const xcomPull = (...args: unknown[]): unknown => {
    const last = args.at(-1);
    const keywords = isKeywords(last) ? (args.pop() as Record<string, unknown>) : {};
    const taskIds = keywords['task_ids'] ?? args[0];
    const key = String(keywords['key'] ?? args[1] ?? 'return_value');
    const dagId = String(keywords['dag_id'] ?? context.ti.dagId);
    const runId = String(keywords['run_id'] ?? context.ti.runId);
    const one = (taskId: unknown): unknown =>
      lookups.read(`xcom:${JSON.stringify([dagId, runId, String(taskId), key])}`, () => services.pullXCom({ dagId, runId, taskId: String(taskId), key, mapIndex: -1 }));
    if (taskIds === undefined) return undefined;
    return Array.isArray(taskIds) ? taskIds.map(one) : one(taskIds);
  };
  const ti = { ...context.ti, xcom_pull: xcomPull };
  // Descriptors, not a spread: the context's formatted dates (ds, ts...) stay lazy getters.
  const view: Record<string, unknown> = Object.defineProperties({ ...userDefinedMacros }, Object.getOwnPropertyDescriptors(context));
  return Object.assign(view, {
    ti,
    task_instance: ti,
    var: { value: lookupProxy(readValue, { get: readValue }), json: lookupProxy(readJson, { get: readJson }) },
    conn: lookupProxy(readConnection, {}),
  });
}

/** nunjucks passes `f(a, key=1)` as `f(a, { key: 1, __keywords: true })`. */
function isKeywords(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && (value as { __keywords?: unknown }).__keywords === true;
}

/**
 * An object whose every property is looked up by name (`var.value.any_key`). Object builtins,
 * `then` and dunder names keep their normal meaning so printing or awaiting it is harmless.
 */
function lookupProxy(resolve: (name: string) => unknown, methods: Record<string, unknown>): object {
  return new Proxy(
    {},
    {
      get(target, prop) {
        if (typeof prop !== 'string' || prop in target || prop === 'then' || prop.startsWith('__')) return Reflect.get(target, prop);
        if (Object.hasOwn(methods, prop)) return methods[prop];
        return resolve(prop);
      },
    },
  );
}
