import { describe, expect, test } from 'vitest';
import { confFromForm, paramFields, type ParamSpec } from '../../ui/src/lib/param-fields.ts';

const params: Record<string, ParamSpec> = {
  my_param: { default: 'Parameter I passed in', schema: { type: 'string' } },
  retries: { default: 3, schema: { type: 'integer', minimum: 0 } },
  ratio: { default: 0.5, schema: { type: ['number', 'null'] } },
  dry_run: { default: false, schema: { type: 'boolean' } },
  env: { default: 'dev', schema: { enum: ['dev', 'prod'] }, description: 'Target environment' },
  tables: { default: ['a', 'b'], schema: { type: 'array' } },
  required_date: { schema: { type: 'string', title: 'Date to load' } },
};

describe('paramFields', () => {
  test('chooses a widget per JSON Schema and shows defaults as text', () => {
    const fields = paramFields(params);
    expect(fields.map((field) => [field.name, field.kind, field.initial])).toEqual([
      ['my_param', 'string', 'Parameter I passed in'],
      ['retries', 'integer', '3'],
      ['ratio', 'number', '0.5'],
      ['dry_run', 'boolean', 'false'],
      ['env', 'enum', 'dev'],
      ['tables', 'json', '[\n  "a",\n  "b"\n]'],
      ['required_date', 'string', ''],
    ]);
    expect(fields.find((field) => field.name === 'env')).toMatchObject({ options: ['dev', 'prod'], description: 'Target environment', required: false });
    expect(fields.find((field) => field.name === 'required_date')).toMatchObject({ label: 'Date to load', required: true });
  });
});

describe('confFromForm', () => {
  const fields = paramFields(params);

  test('turns edited texts back into typed JSON values', () => {
    const result = confFromForm(fields, { my_param: 'changed', retries: '5', dry_run: 'true', env: 'prod', tables: '["x"]', required_date: '2024-01-01' }, params);
    expect(result).toEqual({ ok: true, conf: { my_param: 'changed', retries: 5, ratio: 0.5, dry_run: true, env: 'prod', tables: ['x'], required_date: '2024-01-01' } });
  });

  test('names every field that does not parse', () => {
    const result = confFromForm(fields, { retries: '2.5', ratio: 'lots', tables: '[oops' }, params);
    expect(result).toEqual({ ok: false, errors: { retries: 'Must be a whole number', ratio: 'Must be a number', tables: 'Must be valid JSON' } });
  });
});
