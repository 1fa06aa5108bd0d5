import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { END_MARKER_PREFIX, MarkedOutput, type OutputSink } from './marked-output.ts';

class MemorySink implements OutputSink {
  readonly chunks: Buffer[] = [];
  full = false;
  #drainListeners: (() => void)[] = [];
  write(chunk: Buffer): boolean {
    this.chunks.push(Buffer.from(chunk));
    return !this.full;
  }
  onDrain(listener: () => void): () => void {
    this.#drainListeners.push(listener);
    return () => (this.#drainListeners = this.#drainListeners.filter((l) => l !== listener));
  }
  drain(): void {
    this.full = false;
    for (const listener of this.#drainListeners.splice(0)) listener();
  }
  text(): string {
    return Buffer.concat(this.chunks).toString();
  }
}

const marker = (json = '{"tryNumber":1}'): string => `${END_MARKER_PREFIX}${json}\n`;

function setup() {
  const source = new PassThrough();
  const stray: string[] = [];
  const output = new MarkedOutput(source, (chunk) => stray.push(chunk.toString()));
  return { source, output, stray };
}

/** Writes `text` one byte per chunk, the worst case for a marker split across reads. */
async function writeBytewise(source: PassThrough, text: string): Promise<void> {
  for (const byte of Buffer.from(text)) {
    source.write(Buffer.from([byte]));
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('MarkedOutput', () => {
  it('routes output to the capture up to the marker and the rest to stray', async () => {
    const { source, output, stray } = setup();
    const sink = new MemorySink();
    const capture = output.capture(sink);
    source.write(`line 1\nline 2 without newline${marker()}after the marker\n`);
    await expect(capture.finished).resolves.toBe('marker');
    expect(sink.text()).toBe('line 1\nline 2 without newline');
    expect(stray.join('')).toBe('after the marker\n');
  });

  it('finds a marker split into single bytes and hands the next capture only its own output', async () => {
    const { source, output } = setup();
    const first = new MemorySink();
    const firstCapture = output.capture(first);
    await writeBytewise(source, `first try\n${marker('{"long":"' + 'x'.repeat(100) + '"}')}`);
    await expect(firstCapture.finished).resolves.toBe('marker');
    const second = new MemorySink();
    const secondCapture = output.capture(second);
    await writeBytewise(source, `second try\n${marker()}`);
    await expect(secondCapture.finished).resolves.toBe('marker');
    expect(first.text()).toBe('first try\n');
    expect(second.text()).toBe('second try\n');
  });

  it('passes NUL bytes that do not start a marker through as output', async () => {
    const { source, output } = setup();
    const sink = new MemorySink();
    const capture = output.capture(sink);
    source.write('a\u0000b\u0000UPDRAFT-EN\u0000D\n');
    source.end();
    await expect(capture.finished).resolves.toBe('eof');
    expect(sink.text()).toBe('a\u0000b\u0000UPDRAFT-EN\u0000D\n');
  });

  it('keeps a marker prefix cut off by the end of the stream as output', async () => {
    const { source, output } = setup();
    const sink = new MemorySink();
    const capture = output.capture(sink);
    source.end('tail\u0000UPDRAFT');
    await expect(capture.finished).resolves.toBe('eof');
    expect(sink.text()).toBe('tail\u0000UPDRAFT');
    await expect(output.capture(new MemorySink()).finished).resolves.toBe('eof');
  });

  it('pauses the source while the sink is full and resumes on drain', async () => {
    const { source, output } = setup();
    const sink = new MemorySink();
    sink.full = true;
    output.capture(sink);
    source.write('first\n');
    await new Promise((resolve) => setImmediate(resolve));
    expect(source.isPaused()).toBe(true);
    sink.drain();
    expect(source.isPaused()).toBe(false);
  });

  it('resumes a paused source when the capture is detached', async () => {
    const { source, output, stray } = setup();
    const sink = new MemorySink();
    sink.full = true;
    const capture = output.capture(sink);
    source.write('first\n');
    await new Promise((resolve) => setImmediate(resolve));
    output.detach();
    await expect(capture.finished).resolves.toBe('detached');
    source.write('later\n');
    await new Promise((resolve) => setImmediate(resolve));
    expect(stray.join('')).toBe('later\n');
  });
});
