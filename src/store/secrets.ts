import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UpdraftError } from '../contracts/errors.ts';

const VERSION = 'v1';
const IV_BYTES = 12;
const KEY_BYTES = 32;
/** Fixed on purpose: the same passphrase must give the same key on every host that shares the database. */
const PASSPHRASE_SALT = 'updraft-secret-box-v1';

/**
 * Encrypts connection secrets and encrypted variables: AES-256-GCM, a random IV per value, so the
 * same plaintext never gives the same token. Token: `v1:<base64 iv>:<base64 tag>:<base64 ciphertext>`.
 */
export class SecretBox {
  readonly #key: Buffer;

  constructor(secretKey: string) {
    if (secretKey === '') {
      throw new UpdraftError('SECRET_KEY_MISSING', 'No secret key is configured', {
        hint: 'Set core.secret_key (UPDRAFT__CORE__SECRET_KEY) or let Updraft create {home}/secret.key',
      });
    }
    this.#key = deriveKey(secretKey);
  }

  encrypt(plain: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [VERSION, iv.toString('base64'), cipher.getAuthTag().toString('base64'), ciphertext.toString('base64')].join(':');
  }

  decrypt(token: string): string {
    const [version, iv, tag, ciphertext, ...rest] = token.split(':');
    if (version !== VERSION || iv === undefined || tag === undefined || ciphertext === undefined || rest.length > 0) {
      throw decryptFailed('the value is not a v1 secret token');
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#key, Buffer.from(iv, 'base64'));
      decipher.setAuthTag(Buffer.from(tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64')), decipher.final()]).toString('utf8');
    } catch (error) {
      throw decryptFailed((error as Error).message, error);
    }
  }
}

/** 32 raw bytes written as base64 are used as they are; anything else is a passphrase stretched with scrypt. */
function deriveKey(secretKey: string): Buffer {
  const raw = Buffer.from(secretKey, 'base64');
  if (raw.length === KEY_BYTES && raw.toString('base64') === secretKey) return raw;
  return scryptSync(secretKey, PASSPHRASE_SALT, KEY_BYTES);
}

function decryptFailed(reason: string, cause?: unknown): UpdraftError {
  return new UpdraftError('SECRET_DECRYPT_FAILED', `A stored secret cannot be decrypted: ${reason}`, {
    hint: 'The secret key differs from the one that encrypted the value; restore core.secret_key or {home}/secret.key',
    cause,
  });
}

/**
 * The configured key, or the one in `{home}/secret.key`, created on first use (32 random bytes,
 * base64, readable by the owner only) so that a laptop install needs no configuration.
 */
export function loadOrCreateSecretKey(configured: string, home: string): string {
  if (configured !== '') return configured;
  const file = join(home, 'secret.key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(home, { recursive: true });
  const key = randomBytes(KEY_BYTES).toString('base64');
  // 'wx' fails if another process created the file in between; then its key wins.
  try {
    writeFileSync(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return readFileSync(file, 'utf8').trim();
    throw error;
  }
  chmodSync(file, 0o600);
  return key;
}
