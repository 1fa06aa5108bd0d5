export { CONFIG_SPEC, type UpdraftConfig, type ConfigKeySpec } from './defaults.ts';
export { loadConfig, getConfigValue, listConfigKeys, type LoadConfigOptions } from './load-config.ts';
export { renderConfigReference } from './config-reference.ts';
