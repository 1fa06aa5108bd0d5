import { describe, expect, it } from 'vitest';
import { ERROR_CODES, type ErrorCode } from '../contracts/errors.ts';
import { httpStatusFor } from './error-status.ts';

describe('httpStatusFor', () => {
  it('maps codes by the table and by family', () => {
    expect(httpStatusFor('DAG_NOT_FOUND')).toBe(404);
    expect(httpStatusFor('USER_NOT_FOUND')).toBe(404);
    expect(httpStatusFor('DAG_RUN_EXISTS')).toBe(409);
    expect(httpStatusFor('DAG_INVALID_PARAMS')).toBe(400);
    expect(httpStatusFor('CONN_INVALID_URI')).toBe(400);
    expect(httpStatusFor('AUTH_REQUIRED')).toBe(401);
    expect(httpStatusFor('AUTH_CSRF_FAILED')).toBe(403);
    expect(httpStatusFor('AUTH_RATE_LIMITED')).toBe(429);
    expect(httpStatusFor('INTERNAL')).toBe(500);
  });

  it('gives every code a valid HTTP status', () => {
    for (const code of Object.keys(ERROR_CODES) as ErrorCode[]) {
      const status = httpStatusFor(code);
      expect(status, code).toBeGreaterThanOrEqual(400);
      expect(status, code).toBeLessThan(600);
    }
  });
});
