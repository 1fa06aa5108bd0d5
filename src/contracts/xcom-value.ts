import { UpdraftError } from './errors.ts';
import type { JsonValue } from './json.ts';

/**
 * Serializes an XCom value for storage, enforcing core.xcom_max_size_bytes (no limit when maxBytes
 * is null). XComs carry small results between tasks; big data belongs in external storage with its
 * location in the XCom.
 */
export function encodeXComValue(value: unknown, options: { maxBytes: number | null; taskId: string; key: string }): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (error) {
    throw notJson(options, (error as Error).message, error);
  }
  if (json === undefined) throw notJson(options, `a ${typeof value} has no JSON form`);
  const size = Buffer.byteLength(json, 'utf8');
  if (options.maxBytes !== null && size > options.maxBytes) {
    throw new UpdraftError(
      'XCOM_TOO_LARGE',
      `XCom "${options.key}" of task ${options.taskId} is ${size} bytes as JSON, above the limit of ${options.maxBytes} bytes`,
      {
        hint: 'Store large data elsewhere (a file, object storage) and push its location, or raise core.xcom_max_size_bytes',
        details: { taskId: options.taskId, key: options.key, size, limit: options.maxBytes, configKey: 'core.xcom_max_size_bytes' },
      },
    );
  }
  return json;
}

/**
 * The value an XCom holds once stored, as task code pushes or returns it: what JSON keeps of it
 * (Dates become strings), checked as encodeXComValue checks it.
 */
export function toXComValue(value: unknown, options: { maxBytes: number | null; taskId: string; key: string }): JsonValue {
  return JSON.parse(encodeXComValue(value, options)) as JsonValue;
}

function notJson(options: { taskId: string; key: string }, reason: string, cause?: unknown): UpdraftError {
  return new UpdraftError('XCOM_NOT_JSON', `XCom "${options.key}" of task ${options.taskId} cannot be stored as JSON: ${reason}`, {
    hint: 'Push plain data (objects, arrays, strings, numbers, booleans, null); convert dates and BigInts to strings',
    details: { taskId: options.taskId, key: options.key },
    cause,
  });
}
