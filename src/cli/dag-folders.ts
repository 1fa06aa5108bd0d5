import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { UpdraftConfig } from '../config/index.ts';

/** The example DAGs bundled with Updraft, loaded when core.load_examples is on (Airflow's load_examples). */
export const EXAMPLE_DAGS_FOLDER = fileURLToPath(new URL('../../examples/dags', import.meta.url));

/** The folders to parse: the dags folder, plus the examples when enabled (once, if they are the same folder). */
export function dagFolders(config: UpdraftConfig): string[] {
  const folders = config.core.load_examples ? [config.core.dags_folder, EXAMPLE_DAGS_FOLDER] : [config.core.dags_folder];
  return [...new Set(folders.map((folder) => resolve(folder)))];
}
