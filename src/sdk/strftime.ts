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

/** Luxon tokens that also parse unpadded numbers (`1/5/2015`), as Python's strptime does. */
const PARSE_CODES: Readonly<Record<string, string>> = { ...CODES, d: 'd', H: 'H', I: 'h', j: 'o', m: 'M', M: 'm', S: 's' };

type Piece = { literal: string } | { token: string };

/** Splits a Python format into literal text and Luxon tokens. */
function pieces(format: string, codes: Readonly<Record<string, string>>): Piece[] {
  const result: Piece[] = [];
  let literal = '';
  for (let i = 0; i < format.length; i++) {
    const char = format[i] as string;
    if (char !== '%') {
      literal += char;
      continue;
    }
    const code = format[++i];
    if (code === '%') {
      literal += '%';
      continue;
    }
    const token = code === undefined ? undefined : codes[code];
    if (token === undefined) {
      throw new UpdraftError('TEMPLATE_ERROR', `Unsupported strftime code "%${code ?? ''}" in format "${format}"`, {
        hint: `Supported codes: ${Object.keys(CODES).map((c) => `%${c}`).join(' ')} and %%`,
        details: { format },
      });
    }
    if (literal !== '') result.push({ literal });
    literal = '';
    result.push({ token });
  }
  if (literal !== '') result.push({ literal });
  return result;
}

/** Formats a date with Python strftime codes. */
export function strftime(date: DateTime, format: string): string {
  return pieces(format, CODES)
    .map((piece) => ('literal' in piece ? piece.literal : date.toFormat(piece.token, { locale: 'en-US' })))
    .join('');
}

/**
 * Parses a string with Python strptime codes; the result is in `zone` when the text has no offset.
 * Luxon cannot quote a single quote, so literal `'` in the format are not supported here.
 */
export function strptime(text: string, format: string, zone = 'UTC'): DateTime {
  const luxonFormat = pieces(format, PARSE_CODES)
    .map((piece) => ('literal' in piece ? `'${piece.literal}'` : piece.token))
    .join('');
  const parsed = DateTime.fromFormat(text, luxonFormat, { zone, locale: 'en-US' });
  if (!parsed.isValid) {
    throw new UpdraftError('TEMPLATE_ERROR', `"${text}" does not match format "${format}": ${parsed.invalidExplanation ?? parsed.invalidReason}`, {
      hint: 'Check the input format codes (%Y-%m-%d is YYYY-MM-DD)',
      details: { text, format },
    });
  }
  return parsed;
}
