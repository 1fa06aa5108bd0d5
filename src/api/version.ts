import { readFileSync } from 'node:fs';

/** Updraft's version, from package.json (read once). */
export const UPDRAFT_VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
