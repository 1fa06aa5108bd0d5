import { UpdraftError } from '../../contracts/errors.ts';
import type { SerializedDag } from '../../contracts/serialized-dag.ts';
import type { TimeRestriction } from './types.ts';

/** The time bounds a DAG puts on its automated runs: start date, end date and catchup. */
export function restrictionFor(dag: Pick<SerializedDag, 'dagId' | 'startDate' | 'endDate' | 'catchup'>): TimeRestriction {
  return {
    earliest: parseInstant(dag.startDate, 'startDate', dag.dagId),
    latest: parseInstant(dag.endDate, 'endDate', dag.dagId),
    catchup: dag.catchup,
  };
}

function parseInstant(value: string | null, field: string, dagId: string): number | null {
  if (value === null) return null;
  const instant = Date.parse(value);
  if (Number.isNaN(instant)) {
    throw new UpdraftError('DAG_INVALID_DATES', `DAG "${dagId}" has an unreadable ${field} "${value}"`, {
      hint: 'Serialized dates are ISO-8601 instants such as "2024-01-01T00:00:00.000Z"',
      details: { dagId, field, value },
    });
  }
  return instant;
}
