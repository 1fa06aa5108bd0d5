import { createHash, randomBytes } from 'node:crypto';

/** A new random secret (session id, CSRF token, API token, generated password), URL-safe. */
export function newSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** What the store keeps of a bearer secret: its sha256, so a database dump grants no access. */
export function secretHash(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
