import { DateTime } from 'luxon';
import { UpdraftError } from '../contracts/errors.ts';

/**
 * Python strftime/strptime codes as Luxon tokens, so that formats copied from Airflow DAGs
 * (`macros.ds_format(ds, "%Y-%m-%d", "%d/%m/%Y")`) work unchanged. Locale-dependent codes use
 * the C locale forms Python prints by default.
 */
const CODES: Readonly<Record<string, string>> = {
  a: 'ccc',
  A: 'cccc',
  b: 'LLL',
  B: 'LLLL',
  c: "ccc LLL d HH:mm:ss yyyy",
  d: 'dd',
  f: "SSS'000'",
  G: 'kkkk',
  H: 'HH',
  I: 'hh',
  j: 'ooo',
  m: 'MM',
  M: 'mm',
  p: 'a',
  S: 'ss',
  u: 'c',
  V: 'WW',
  x: 'MM/dd/yy',
  X: 'HH:mm:ss',
  y: 'yy',
  Y: 'yyyy',
  z: 'ZZZ',
  Z: 'ZZZZ',
};

/** Translates a Python format string into a Luxon format string (literals quoted). */
export function pythonToLuxonFormat(format: string): string {
  let out = '';
  let literal = '';
  const flushLiteral = (): void => {
    if (literal !== '') out += `'${literal.replaceAll("'", "''")}'`;
    literal = '';
  };
  for (let i = 0; i < format.length; i++) {
    const char = format[i] as string;
    if (char !== '%') {
      literal += char;
      continue;
    }
    const code = format[i + 1];
    i++;
    if (code === '%') {
      literal += '%';
      continue;
    }
    const token = code === undefined ? undefined : CODES[code];
    if (token === undefined) {
      throw new UpdraftError('TEMPLATE_ERROR', `Unsupported strftime code "%${code ?? ''}" in format "${format}"`, {
        hint: `Supported codes: ${Object.keys(CODES).map((c) => `%${c}`).join(' ')} and %%`,
        details: { format },
      });
    }
    flushLiteral();
    out += token;
  }
  flushLiteral();
  return out;
}

/** Formats a date with Python strftime codes. */
export function strftime(date: DateTime, format: string): string {
  return date.toFormat(pythonToLuxonFormat(format), { locale: 'en-US' });
}

/** Parses a string with Python strptime codes; the result is in `zone` when the text has no offset. */
export function strptime(text: string, format: string, zone = 'UTC'): DateTime {
  const parsed = DateTime.fromFormat(text, pythonToLuxonFormat(format), { zone, locale: 'en-US' });
  if (!parsed.isValid) {
    throw new UpdraftError('TEMPLATE_ERROR', `"${text}" does not match format "${format}": ${parsed.invalidExplanation ?? parsed.invalidReason}`, {
      hint: 'Check the input format codes (%Y-%m-%d is YYYY-MM-DD)',
      details: { text, format },
    });
  }
  return parsed;
}
