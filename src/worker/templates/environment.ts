import { dirname, resolve } from 'node:path';
import nunjucks from 'nunjucks';
import { ContextDateTime, type Dag } from '../../sdk/index.ts';

const environments = new WeakMap<Dag, nunjucks.Environment>();

/** Folders template files are read from: the DAG file's folder, then `templateSearchpath` (relative to it). */
export function templateSearchPaths(dag: Pick<Dag, 'fileloc' | 'templateSearchpath'>): string[] {
  const dagFolder = dag.fileloc === '' ? process.cwd() : dirname(dag.fileloc);
  return [dagFolder, ...dag.templateSearchpath.map((path) => resolve(dagFolder, path))];
}

/**
 * The nunjucks environment of a DAG (one per DAG, cached): Jinja-like, no autoescaping (commands
 * and SQL are not HTML), undefined values render as ''. Airflow's date filters are added so that
 * `{{ logical_date | ds }}` works.
 */
export function templateEnvironment(dag: Dag): nunjucks.Environment {
  let env = environments.get(dag);
  if (env === undefined) {
    env = new nunjucks.Environment(new nunjucks.FileSystemLoader(templateSearchPaths(dag)), { autoescape: false, throwOnUndefined: false });
    addAirflowFilters(env);
    environments.set(dag, env);
  }
  return env;
}

function addAirflowFilters(env: nunjucks.Environment): void {
  const asDate = (value: unknown): ContextDateTime | null =>
    value instanceof ContextDateTime ? value : typeof value === 'string' && value !== '' ? ContextDateTime.fromISO(value) : null;
  const dateFilter = (format: (date: ContextDateTime) => string) => (value: unknown) => {
    const date = asDate(value);
    return date === null ? '' : format(date);
  };
  env.addFilter('ds', dateFilter((d) => d.strftime('%Y-%m-%d')));
  env.addFilter('ds_nodash', dateFilter((d) => d.strftime('%Y%m%d')));
  env.addFilter('ts', dateFilter((d) => d.isoformat()));
  env.addFilter('ts_nodash', dateFilter((d) => d.strftime('%Y%m%dT%H%M%S')));
  env.addFilter('ts_nodash_with_tz', dateFilter((d) => d.strftime('%Y%m%dT%H%M%S%z')));
  env.addFilter('tojson', (value: unknown) => JSON.stringify(value));
}
