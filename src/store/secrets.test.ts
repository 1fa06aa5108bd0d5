import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SecretBox, loadOrCreateSecretKey } from './secrets.ts';

const RAW_KEY = Buffer.alloc(32, 7).toString('base64');

describe('SecretBox', () => {
  it('round-trips text, including unicode and the empty string', () => {
    const box = new SecretBox(RAW_KEY);
    for (const plain of ['p@ss:word', 'Grüße 🚀', '']) expect(box.decrypt(box.encrypt(plain))).toBe(plain);
  });

  it('writes v1 tokens with a fresh IV each time, never containing the plaintext', () => {
    const box = new SecretBox(RAW_KEY);
    const [a, b] = [box.encrypt('hunter2'), box.encrypt('hunter2')];
    expect(a).toMatch(/^v1:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('hunter2');
    expect(Buffer.from(a.split(':')[1] ?? '', 'base64')).toHaveLength(12);
  });

  it('fails with SECRET_DECRYPT_FAILED under another key', () => {
    const token = new SecretBox(RAW_KEY).encrypt('hunter2');
    expect(() => new SecretBox(Buffer.alloc(32, 8).toString('base64')).decrypt(token)).toThrow(expect.objectContaining({ code: 'SECRET_DECRYPT_FAILED' }));
  });

  it('fails with SECRET_DECRYPT_FAILED on a tampered or malformed token', () => {
    const box = new SecretBox(RAW_KEY);
    const [version, iv, tag, ciphertext] = box.encrypt('hunter2').split(':');
    const flipped = Buffer.from(ciphertext ?? '', 'base64');
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    expect(() => box.decrypt([version, iv, tag, flipped.toString('base64')].join(':'))).toThrow(expect.objectContaining({ code: 'SECRET_DECRYPT_FAILED' }));
    expect(() => box.decrypt('plain text')).toThrow(expect.objectContaining({ code: 'SECRET_DECRYPT_FAILED' }));
  });

  it('accepts any passphrase, deriving the same key every time', () => {
    const token = new SecretBox('correct horse battery staple').encrypt('x');
    expect(new SecretBox('correct horse battery staple').decrypt(token)).toBe('x');
    expect(() => new SecretBox('another passphrase').decrypt(token)).toThrow(expect.objectContaining({ code: 'SECRET_DECRYPT_FAILED' }));
  });

  it('refuses an empty key', () => {
    expect(() => new SecretBox('')).toThrow(expect.objectContaining({ code: 'SECRET_KEY_MISSING' }));
  });
});

describe('loadOrCreateSecretKey', () => {
  const homes: string[] = [];
  const newHome = () => {
    const home = mkdtempSync(join(tmpdir(), 'updraft-key-'));
    homes.push(home);
    return home;
  };
  afterEach(() => {
    for (const home of homes.splice(0)) rmSync(home, { recursive: true, force: true });
  });

  it('returns the configured key without touching the home folder', () => {
    const home = newHome();
    expect(loadOrCreateSecretKey('configured', home)).toBe('configured');
    expect(() => statSync(join(home, 'secret.key'))).toThrow();
  });

  it('creates {home}/secret.key once (32 random bytes, owner-only) and reuses it', () => {
    const home = join(newHome(), 'not-yet-created');
    const key = loadOrCreateSecretKey('', home);
    expect(Buffer.from(key, 'base64')).toHaveLength(32);
    expect(statSync(join(home, 'secret.key')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(home, 'secret.key'), 'utf8').trim()).toBe(key);
    expect(loadOrCreateSecretKey('', home)).toBe(key);
  });
});
