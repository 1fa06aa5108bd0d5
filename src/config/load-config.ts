import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { UpdraftError } from '../contracts/errors.ts';
import { CONFIG_SPEC, type ConfigKeySpec, type ConfigSection, type UpdraftConfig } from './defaults.ts';

const ENV_PREFIX = 'UPDRAFT__';

export interface LoadConfigOptions {
  env?: NodeJS.ProcessEnv;
  /** Working directory used to resolve relative paths; defaults to process.cwd(). */
  cwd?: string;
}

/** Resolves configuration: defaults < `updraft.toml` < `UPDRAFT__SECTION__KEY` environment variables. */
export function loadConfig(options: LoadConfigOptions = {}): UpdraftConfig {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const home = resolve(cwd, expandTilde(env.UPDRAFT_HOME ?? '~/updraft'));
  const configFile = findConfigFile(env, home, cwd);
  const fileValues = configFile === null ? {} : readConfigFile(configFile);

  const config: Record<string, Record<string, unknown>> = {};
  for (const [section, keys] of Object.entries(CONFIG_SPEC)) {
    const resolved: Record<string, unknown> = {};
    for (const [key, spec] of Object.entries(keys) as [string, ConfigKeySpec][]) {
      const envName = `${ENV_PREFIX}${section.toUpperCase()}__${key.toUpperCase()}`;
      const raw = env[envName] ?? fileValues[section]?.[key] ?? spec.default;
      resolved[key] = coerce(raw, spec, `${section}.${key}`, env[envName] !== undefined ? envName : configFile);
    }
    config[section] = resolved;
  }
  rejectUnknownKeys(fileValues, configFile);

  const paths = config as unknown as UpdraftConfig;
  paths.core.dags_folder = resolvePath(paths.core.dags_folder, home, cwd);
  paths.logging.base_log_folder = resolvePath(paths.logging.base_log_folder, home, cwd);
  paths.database.url = paths.database.url.replaceAll('{home}', home);
  return { ...paths, home, configFile };
}

/** Reads one key by its dotted name, for `updraft config get`. */
export function getConfigValue(config: UpdraftConfig, section: string, key: string): string | number | boolean {
  const sectionValues = (config as unknown as Record<string, Record<string, unknown>>)[section];
  const spec = (CONFIG_SPEC as Record<string, Record<string, ConfigKeySpec>>)[section]?.[key];
  if (sectionValues === undefined || spec === undefined) {
    throw new UpdraftError('CONFIG_UNKNOWN_KEY', `Unknown configuration key ${section}.${key}`, {
      hint: `Known keys: ${listConfigKeys().join(', ')}`,
    });
  }
  return sectionValues[key] as string | number | boolean;
}

export function listConfigKeys(): string[] {
  return Object.entries(CONFIG_SPEC).flatMap(([section, keys]) => Object.keys(keys).map((key) => `${section}.${key}`));
}

function findConfigFile(env: NodeJS.ProcessEnv, home: string, cwd: string): string | null {
  if (env.UPDRAFT_CONFIG !== undefined) {
    const explicit = resolve(cwd, env.UPDRAFT_CONFIG);
    if (!existsSync(explicit)) {
      throw new UpdraftError('CONFIG_INVALID', `UPDRAFT_CONFIG points at ${explicit}, which does not exist`, {
        hint: 'Create the file or unset UPDRAFT_CONFIG',
      });
    }
    return explicit;
  }
  const candidate = join(home, 'updraft.toml');
  return existsSync(candidate) ? candidate : null;
}

function readConfigFile(file: string): Record<string, Record<string, unknown>> {
  try {
    return parseToml(readFileSync(file, 'utf8')) as Record<string, Record<string, unknown>>;
  } catch (error) {
    throw new UpdraftError('CONFIG_INVALID', `Cannot parse ${file}: ${(error as Error).message}`, {
      hint: 'Fix the TOML syntax at the position named above',
      cause: error,
    });
  }
}

function rejectUnknownKeys(values: Record<string, Record<string, unknown>>, file: string | null): void {
  for (const [section, keys] of Object.entries(values)) {
    for (const key of Object.keys(keys ?? {})) {
      if ((CONFIG_SPEC as Record<string, Record<string, unknown>>)[section as ConfigSection]?.[key] === undefined) {
        throw new UpdraftError('CONFIG_UNKNOWN_KEY', `Unknown configuration key ${section}.${key} in ${file}`, {
          hint: `Remove it; known keys: ${listConfigKeys().join(', ')}`,
        });
      }
    }
  }
}

function coerce(raw: unknown, spec: ConfigKeySpec, name: string, source: string | null): string | number | boolean {
  const fail = (): never => {
    throw new UpdraftError('CONFIG_INVALID', `${name} must be a ${spec.type}, got ${JSON.stringify(raw)}${source ? ` (from ${source})` : ''}`, {
      hint: `Set ${name} to a ${spec.type}`,
    });
  };
  switch (spec.type) {
    case 'string':
      return String(raw);
    case 'boolean':
      if (typeof raw === 'boolean') return raw;
      if (raw === 'true' || raw === '1') return true;
      if (raw === 'false' || raw === '0') return false;
      return fail();
    case 'integer':
    case 'number': {
      const value = typeof raw === 'number' ? raw : Number(raw);
      if (!Number.isFinite(value) || (spec.type === 'integer' && !Number.isInteger(value))) return fail();
      return value;
    }
  }
}

function expandTilde(path: string): string {
  return path === '~' || path.startsWith('~/') ? join(homedir(), path.slice(1)) : path;
}

function resolvePath(path: string, home: string, cwd: string): string {
  const expanded = expandTilde(path.replaceAll('{home}', home));
  return isAbsolute(expanded) ? expanded : resolve(cwd, expanded);
}
