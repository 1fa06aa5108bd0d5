import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { ApiApp } from './api-context.ts';

// ajv-formats is CommonJS: its default export arrives wrapped under ESM.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/**
 * Request validation with two Ajv instances: query strings and path parameters are text, so their
 * types are coerced ("5" -> 5, one value -> array); JSON bodies are typed already, so a wrong type
 * there is a 400 rather than silently converted. Unknown body fields are rejected, not dropped.
 * Each validator is compiled on its route's first request, not while the server starts (see
 * lazy-serializers.ts for why).
 */
export function installValidators(app: ApiApp): void {
  const options = { useDefaults: true, removeAdditional: false, allErrors: false, strict: false } as const;
  const bodies = addFormats(new Ajv({ ...options, coerceTypes: false }));
  const textParts = addFormats(new Ajv({ ...options, coerceTypes: 'array' }));
  app.setValidatorCompiler(({ schema, httpPart }) => lazily(() => (httpPart === 'body' ? bodies : textParts).compile(schema)));
}

/** A validator that compiles itself when first called; Fastify reads `errors` after a failed call, as from Ajv. */
function lazily(compile: () => ValidateFunction): (data: unknown) => boolean {
  let validate: ValidateFunction | undefined;
  const validator = (data: unknown): boolean => {
    validate ??= compile();
    const valid = validate(data) as boolean;
    validator.errors = validate.errors;
    return valid;
  };
  validator.errors = null as ValidateFunction['errors'];
  return validator;
}
