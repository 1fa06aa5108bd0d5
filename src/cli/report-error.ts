import { UpdraftError, serializeError } from '../contracts/errors.ts';
import { exitCodeFor } from './exit-codes.ts';

/**
 * Prints an error as one line (`error CODE: message`) plus a hint line, and the stack only when
 * asked for. Returns the exit code.
 */
export function reportError(error: unknown, verbose: boolean, write: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): number {
  const data = serializeError(error);
  write(`error ${data.code}: ${data.message.split('\n')[0]}`);
  if (data.hint) write(`  hint: ${data.hint}`);
  if (verbose && data.stack) write(data.stack);
  else if (!(error instanceof UpdraftError)) write('  (run with --verbose for the stack trace)');
  return exitCodeFor(data.code);
}
