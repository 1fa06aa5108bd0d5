import { Ajv, type ValidateFunction } from 'ajv';
import { UpdraftError } from './errors.ts';
import type { JsonObject, JsonValue } from './json.ts';
import type { SerializedParam } from './serialized-dag.ts';

const ajv = new Ajv({ allErrors: true, strict: false, useDefaults: false });
const compiled = new WeakMap<object, ValidateFunction>();

function validatorFor(schema: JsonObject): ValidateFunction {
  let validate = compiled.get(schema);
  if (validate === undefined) {
    try {
      validate = ajv.compile(schema);
    } catch (error) {
      throw new UpdraftError('DAG_INVALID_PARAMS', `Invalid JSON Schema for a param: ${(error as Error).message}`, {
        hint: 'Fix the schema of the param (type, enum, minimum...)',
      });
    }
    compiled.set(schema, validate);
  }
  return validate;
}

/**
 * Resolves the params of a run: defaults, overridden by the run's conf, each validated against its
 * schema. Throws DAG_INVALID_PARAMS naming every failing param. A param without a value and without
 * a default is an error unless its schema allows null.
 */
export function resolveParams(params: Record<string, SerializedParam>, conf: JsonObject = {}): JsonObject {
  const resolved: JsonObject = {};
  const problems: string[] = [];
  for (const [name, param] of Object.entries(params)) {
    const value: JsonValue | undefined = name in conf ? conf[name] : param.default;
    if (value === undefined) {
      problems.push(`${name}: no value and no default`);
      continue;
    }
    const problem = schemaProblem(name, value, param.schema);
    if (problem !== null) {
      problems.push(problem);
      continue;
    }
    resolved[name] = value;
  }
  // conf keys that are not declared params are passed through, as Airflow does.
  for (const [name, value] of Object.entries(conf)) if (!(name in params)) resolved[name] = value;
  if (problems.length > 0) {
    throw new UpdraftError('DAG_INVALID_PARAMS', `Params do not satisfy their schema: ${problems.join(', ')}`, {
      hint: 'Pass values that match each param schema (see the DAG params) or fix the defaults',
      details: { problems },
    });
  }
  return resolved;
}

/**
 * Checks, when a DAG is defined, that every param default satisfies its own schema, so that a
 * broken default fails the DAG import instead of every run. Params without a default are fine
 * here: the trigger must supply them. Throws DAG_INVALID_PARAMS naming every failing param.
 */
export function validateParamDefaults(params: Record<string, SerializedParam>): void {
  const problems: string[] = [];
  for (const [name, param] of Object.entries(params)) {
    if (param.default === undefined) continue;
    const problem = schemaProblem(name, param.default, param.schema);
    if (problem !== null) problems.push(problem);
  }
  if (problems.length > 0) {
    throw new UpdraftError('DAG_INVALID_PARAMS', `Param defaults do not satisfy their schema: ${problems.join(', ')}`, {
      hint: 'Change the default or the schema so that the default is a valid value',
      details: { problems },
    });
  }
}

/** `name: why` when `value` violates `schema`, null when it is valid. */
function schemaProblem(name: string, value: JsonValue, schema: JsonObject): string | null {
  const validate = validatorFor(schema);
  if (validate(value)) return null;
  const reasons = (validate.errors ?? []).map((e) => `${e.instancePath || 'value'} ${e.message ?? 'is invalid'}`);
  return `${name}: ${reasons.join('; ')}`;
}
