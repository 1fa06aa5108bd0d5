/**
 * Turns DAG params (default + JSON Schema) into form fields and back into a run's conf.
 * Pure, so it is unit-tested (test/ui/param-fields.test.ts); the server validates the conf again.
 */
export interface ParamSpec {
  default?: unknown;
  description?: string;
  schema: Record<string, unknown>;
}

export type FieldKind = 'string' | 'number' | 'integer' | 'boolean' | 'enum' | 'json' | 'multiline';

export interface ParamField {
  name: string;
  kind: FieldKind;
  label: string;
  description: string | null;
  options: string[];
  required: boolean;
  /** The form's text (or "true"/"false") for the default. */
  initial: string;
}

function schemaType(schema: Record<string, unknown>): string | null {
  const type = schema['type'];
  if (typeof type === 'string') return type;
  // ["string", "null"]: the first non-null type decides the widget.
  if (Array.isArray(type)) return type.find((item): item is string => typeof item === 'string' && item !== 'null') ?? null;
  return null;
}

function kindOf(schema: Record<string, unknown>, value: unknown): FieldKind {
  if (Array.isArray(schema['enum'])) return 'enum';
  const type = schemaType(schema) ?? (value === undefined || value === null ? 'string' : typeof value);
  if (type === 'boolean') return 'boolean';
  if (type === 'integer') return 'integer';
  if (type === 'number') return 'number';
  if (type === 'string') return typeof value === 'string' && value.includes('\n') ? 'multiline' : 'string';
  return 'json';
}

function initialText(kind: FieldKind, value: unknown): string {
  if (value === undefined || value === null) return kind === 'boolean' ? 'false' : '';
  if (kind === 'json') return JSON.stringify(value, null, 2);
  return String(value);
}

export function paramFields(params: Record<string, ParamSpec>): ParamField[] {
  return Object.entries(params).map(([name, param]) => {
    const kind = kindOf(param.schema, param.default);
    const title = param.schema['title'];
    const description = param.description ?? (typeof param.schema['description'] === 'string' ? param.schema['description'] : null);
    return {
      name,
      kind,
      label: typeof title === 'string' ? title : name,
      description,
      options: Array.isArray(param.schema['enum']) ? param.schema['enum'].map(String) : [],
      required: param.default === undefined,
      initial: initialText(kind, param.default),
    };
  });
}

export type ConfResult = { ok: true; conf: Record<string, unknown> } | { ok: false; errors: Record<string, string> };

/** Reads the form's texts back into JSON values; names every field that does not parse. */
export function confFromForm(fields: ParamField[], values: Record<string, string>, params: Record<string, ParamSpec>): ConfResult {
  const conf: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const field of fields) {
    const text = values[field.name] ?? field.initial;
    if (text === '' && field.kind !== 'string' && field.kind !== 'multiline') {
      if (field.required) errors[field.name] = 'A value is required';
      continue;
    }
    switch (field.kind) {
      case 'boolean':
        conf[field.name] = text === 'true';
        break;
      case 'integer':
      case 'number': {
        const number = Number(text);
        if (!Number.isFinite(number) || (field.kind === 'integer' && !Number.isInteger(number))) errors[field.name] = `Must be ${field.kind === 'integer' ? 'a whole number' : 'a number'}`;
        else conf[field.name] = number;
        break;
      }
      case 'enum': {
        const options = params[field.name]?.schema['enum'];
        conf[field.name] = Array.isArray(options) ? (options.find((option) => String(option) === text) ?? text) : text;
        break;
      }
      case 'json':
        try {
          conf[field.name] = JSON.parse(text);
        } catch {
          errors[field.name] = 'Must be valid JSON';
        }
        break;
      default:
        conf[field.name] = text;
    }
  }
  return Object.keys(errors).length === 0 ? { ok: true, conf } : { ok: false, errors };
}
