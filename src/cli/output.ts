/** Small, dependency-free terminal output helpers shared by the commands. */

const useColor = process.stdout.isTTY === true && process.env.NO_COLOR === undefined;

const STATE_COLORS: Record<string, string> = {
  success: '32',
  failed: '31',
  upstream_failed: '33',
  up_for_retry: '33',
  skipped: '35',
  running: '36',
  queued: '90',
};

export function colorState(state: string): string {
  const color = STATE_COLORS[state];
  return useColor && color ? `\u001b[${color}m${state}\u001b[0m` : state;
}

/** Prints rows as an aligned table with a header, or as JSON when `json` is set. */
export function printTable(rows: Record<string, unknown>[], columns: string[], json = false): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return;
  }
  if (rows.length === 0) {
    process.stdout.write('(none)\n');
    return;
  }
  const cells = rows.map((row) => columns.map((column) => formatCell(row[column])));
  const widths = columns.map((column, i) => Math.max(column.length, ...cells.map((row) => row[i]!.length)));
  const line = (values: string[]): string => values.map((value, i) => value.padEnd(widths[i]!)).join('  ').trimEnd();
  process.stdout.write(`${line(columns)}\n${line(widths.map((w) => '-'.repeat(w)))}\n${cells.map(line).join('\n')}\n`);
}

function formatCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' && value > 1e12 && value < 1e14) return new Date(value).toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export function println(text = ''): void {
  process.stdout.write(`${text}\n`);
}
