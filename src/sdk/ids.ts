import { definitionError, type OptionSite } from './option-errors.ts';

const ID_PATTERN = /^[A-Za-z0-9_.-]+$/;
const MAX_ID_LENGTH = 250;

/** DAG, task and group ids end up in URLs, log paths and SQL keys: Airflow's alphabet and length. */
export function assertValidId(kind: 'DAG' | 'task' | 'task group', id: unknown, site: OptionSite): string {
  if (typeof id !== 'string' || id.length === 0 || id.length > MAX_ID_LENGTH || !ID_PATTERN.test(id)) {
    throw definitionError(
      'DAG_INVALID_ID',
      site,
      `invalid ${kind} id ${JSON.stringify(id)}`,
      `A ${kind} id is 1-${MAX_ID_LENGTH} characters among letters, digits, "_", "-" and "."`,
    );
  }
  return id;
}
