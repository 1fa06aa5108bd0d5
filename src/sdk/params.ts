import type { JsonObject, JsonValue } from '../contracts/json.ts';
import { validateParamDefaults } from '../contracts/params.ts';
import type { SerializedParam } from '../contracts/serialized-dag.ts';
import { invalidOption, withSite, type OptionSite } from './option-errors.ts';

/** Params created by `param()`, told apart from plain values that happen to look alike. */
const declared = new WeakSet<SerializedParam>();

/**
 * A DAG param with a JSON Schema (Airflow's `Param`): `param(5, { type: 'integer', minimum: 1 })`.
 * The default is checked against the schema when the DAG is defined, and the values of each
 * run (default or trigger conf) are validated again when the run starts.
 */
export function param(defaultValue?: JsonValue, schema: JsonObject = {}, description?: string): SerializedParam {
  const result: SerializedParam = { schema };
  if (defaultValue !== undefined) result.default = defaultValue;
  const text = description ?? (typeof schema['description'] === 'string' ? schema['description'] : undefined);
  if (text !== undefined) result.description = text;
  declared.add(result);
  return result;
}

/** What `params` in DAG options accepts: plain JSON values or `param(...)`. */
export type ParamsInput = Record<string, JsonValue | SerializedParam>;

/** Plain values become params whose schema is their JSON type, so a trigger cannot change it. */
function inferSchema(value: JsonValue): JsonObject {
  if (value === null) return {};
  if (Array.isArray(value)) return { type: 'array' };
  return { type: typeof value === 'object' ? 'object' : (typeof value as 'string' | 'number' | 'boolean') };
}

export function normalizeParams(input: unknown, site: OptionSite): Record<string, SerializedParam> {
  if (input === undefined) return {};
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw invalidOption(site, 'option "params" must be an object of name -> value or param(...)', "params: { limit: 10, mode: param('fast', { enum: ['fast', 'slow'] }) }");
  }
  const params: Record<string, SerializedParam> = {};
  for (const [name, value] of Object.entries(input as ParamsInput)) {
    if (typeof value === 'object' && value !== null && declared.has(value as SerializedParam)) params[name] = value as SerializedParam;
    else if (isJson(value)) params[name] = { default: value, schema: inferSchema(value) };
    else throw invalidOption(site, `param "${name}" is not a JSON value`, 'Params hold JSON values: strings, numbers, booleans, null, arrays and plain objects');
  }
  withSite(site, () => validateParamDefaults(params));
  return params;
}

function isJson(value: unknown): value is JsonValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(isJson);
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) return Object.values(value).every(isJson);
  return false;
}
