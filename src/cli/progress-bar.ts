/**
 * A one-line progress bar for long CLI work (backfills). On a terminal it redraws in place; in logs
 * and CI it prints a line only when the count changes, so output stays readable.
 */
export class ProgressBar {
  readonly #total: number;
  readonly #label: string;
  readonly #tty = process.stdout.isTTY === true;
  #last = -1;

  constructor(label: string, total: number) {
    this.#label = label;
    this.#total = Math.max(total, 1);
  }

  update(done: number, detail = ''): void {
    if (done === this.#last && this.#tty === false) return;
    this.#last = done;
    const width = 30;
    const filled = Math.round((done / this.#total) * width);
    const line = `${this.#label} [${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${done}/${this.#total}${detail ? `  ${detail}` : ''}`;
    if (this.#tty) process.stdout.write(`\r${line}\u001b[K`);
    else process.stdout.write(`${line}\n`);
  }

  finish(): void {
    if (this.#tty) process.stdout.write('\n');
  }
}
