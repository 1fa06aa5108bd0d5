/**
 * The session's CSRF token. The API returns it from login and `GET /auth/me`; every non-GET request
 * made with the session cookie must echo it in `X-CSRF-Token`. It lives in memory only: a reload
 * asks `/auth/me` again, so nothing secret sits in localStorage.
 */
let token: string | null = null;

export function setCsrfToken(value: string | null): void {
  token = value;
}

export function csrfHeaders(method: string): Record<string, string> {
  return method === 'GET' || token === null ? {} : { 'X-CSRF-Token': token };
}
