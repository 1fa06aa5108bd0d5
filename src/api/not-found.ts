import { UpdraftError, type ErrorCode } from '../contracts/errors.ts';

/** Returns `value`, or throws the not-found error of the resource when it is null. */
export function found<T>(value: T | null | undefined, code: ErrorCode & `${string}_NOT_FOUND`, message: string, hint?: string): T {
  if (value === null || value === undefined) throw new UpdraftError(code, message, hint === undefined ? {} : { hint });
  return value;
}
