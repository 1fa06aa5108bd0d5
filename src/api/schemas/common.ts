import { Type, type TSchema } from 'typebox';

/**
 * Building blocks shared by every resource's schemas. Ids are bounded as in the store (250
 * characters) and may not contain NUL, which Postgres rejects: bad input must be a 400, never a 500.
 */
export const Id = Type.String({ minLength: 1, maxLength: 250, pattern: '^[^\\u0000]*$' });
export const Text = (maxLength: number) => Type.String({ maxLength, pattern: '^[^\\u0000]*$' });
export const IsoDate = Type.String({ format: 'date-time', description: 'ISO-8601 instant, e.g. 2024-01-31T00:00:00Z' });
export const NullableIsoDate = Type.Union([IsoDate, Type.Null()]);
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
export const JsonObjectSchema = Type.Record(Type.String(), Type.Unknown(), { description: 'A JSON object' });
export const MapIndex = Type.Integer({ minimum: -1, maximum: 1_000_000, default: -1, description: '-1 for an unmapped task' });
/** A string that is one of `values` (a JSON Schema enum, which OpenAPI clients turn into a union type). */
export function OneOf<T extends string>(values: readonly T[], options: { default?: T; description?: string } = {}) {
  return Type.Unsafe<T>({ type: 'string', enum: [...values], ...options });
}

export const MAX_OFFSET = 2_147_483_647;

export const PageQuery = {
  limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
  offset: Type.Integer({ minimum: 0, maximum: MAX_OFFSET, default: 0 }),
};

export const ListPage = Type.Object(PageQuery);

/** RFC 9457 problem details with the Updraft error code. */
export const Problem = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    code: Type.String({ description: 'Stable Updraft error code (src/contracts/errors.ts)' }),
    field: Type.Optional(Type.String({ description: 'JSON pointer of the offending input, e.g. /body/conf' })),
    hint: Type.Optional(Type.String()),
  },
  { $id: 'Problem', title: 'Problem' },
);

const ERROR_STATUSES = [400, 401, 403, 404, 409, 413, 429] as const;

/** Response schemas for a route: its own successes plus the problem documents it can answer with. */
export function responses<T extends Record<number, TSchema>>(success: T): T & Record<(typeof ERROR_STATUSES)[number], TSchema> {
  const errors = Object.fromEntries(ERROR_STATUSES.map((status) => [status, Type.Ref('Problem')]));
  return { ...errors, ...success } as unknown as T & Record<(typeof ERROR_STATUSES)[number], TSchema>;
}

export const NoContent = Type.Null({ description: 'No content' });

/** Epoch milliseconds to the ISO-8601 strings of the API (null stays null). */
export function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

/** ISO-8601 input to epoch milliseconds (the schema already checked the format). */
export function millis(value: string): number {
  return Date.parse(value);
}
