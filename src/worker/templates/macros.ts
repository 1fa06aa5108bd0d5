import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { UpdraftError } from '../../contracts/errors.ts';
import { ContextDateTime, strftime, strptime, type MacroFunction, type Macros } from '../../sdk/index.ts';

/** Adds days to a `YYYY-MM-DD` date (Airflow's `macros.ds_add`). */
export function dsAdd(ds: string, days: number): string {
  const date = DateTime.fromISO(String(ds), { zone: 'UTC' });
  if (!date.isValid || typeof days !== 'number') {
    throw new UpdraftError('TEMPLATE_ERROR', `ds_add(${JSON.stringify(ds)}, ${JSON.stringify(days)}) needs a YYYY-MM-DD date and a number of days`, {
      hint: 'Write {{ macros.ds_add(ds, 7) }}',
    });
  }
  return date.plus({ days }).toFormat('yyyy-MM-dd');
}

/** Reformats a date string with Python strftime codes (Airflow's `macros.ds_format`). */
export function dsFormat(ds: string, inputFormat: string, outputFormat: string): string {
  return strftime(strptime(String(ds), inputFormat), outputFormat);
}

/** The `macros` object of the template and task context, with the DAG's user macros added. */
export function createMacros(userDefinedMacros: Readonly<Record<string, MacroFunction>>): Macros {
  return {
    ds_add: dsAdd,
    ds_format: dsFormat,
    datetime: {
      now: () => new ContextDateTime(DateTime.utc()),
      utcnow: () => new ContextDateTime(DateTime.utc()),
      fromisoformat: (text: string) => ContextDateTime.fromISO(text),
      strptime: (text: string, format: string) => new ContextDateTime(strptime(text, format)),
    },
    random: () => Math.random(),
    uuid4: () => randomUUID(),
    json: { dumps: (value: unknown) => JSON.stringify(value), loads: (text: string) => JSON.parse(text) as unknown },
    ...userDefinedMacros,
  };
}
