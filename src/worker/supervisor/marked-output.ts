import type { Readable } from 'node:stream';

/**
 * After each task the task process writes `\0UPDRAFT-END <json>\n` on stdout and on stderr. Pipes
 * and the IPC channel are separate, so the `done` message may arrive before the task's last output;
 * the marker tells the supervisor where one try's output ends on each stream, so that late output
 * never lands in the next try's log. The NUL byte keeps ordinary output from looking like a marker.
 */
export const END_MARKER_PREFIX = '\u0000UPDRAFT-END ';
const MARKER = Buffer.from(END_MARKER_PREFIX);
const NUL = 0x00;
const NEWLINE = 0x0a;

/** Where a try's output goes. Returning false from `write` asks the producer to wait for `onDrain`. */
export interface OutputSink {
  write(chunk: Buffer): boolean;
  /** Calls `listener` once when the sink can take more; returns a function that cancels it. */
  onDrain(listener: () => void): () => void;
}

/** How a capture ended: the marker arrived, the stream closed, or the supervisor stopped waiting. */
export type CaptureEnd = 'marker' | 'eof' | 'detached';

export interface OutputCapture {
  readonly finished: Promise<CaptureEnd>;
}

interface ActiveCapture {
  sink: OutputSink;
  resolve: (end: CaptureEnd) => void;
  cancelDrain: (() => void) | null;
}

/**
 * Reads one stream of a task process for its whole life and routes the bytes to the capture of the
 * try that owns them, or to `onStray` between tries. Memory use is bounded: output is forwarded
 * chunk by chunk (pausing the pipe when the log file is slow) and the marker's JSON is skipped, not
 * buffered; only a possible marker prefix split across chunks (under 14 bytes) is held back.
 */
export class MarkedOutput {
  readonly #source: Readable;
  readonly #onStray: (chunk: Buffer) => void;
  #capture: ActiveCapture | null = null;
  /** Bytes that may be the start of a marker, held until the next chunk decides. */
  #pendingPrefix: Buffer | null = null;
  /** Inside a marker's JSON, which runs to the next newline. */
  #inMarkerBody = false;
  #ended = false;

  constructor(source: Readable, onStray: (chunk: Buffer) => void) {
    this.#source = source;
    this.#onStray = onStray;
    source.on('data', (chunk: Buffer) => this.#onData(chunk));
    source.on('close', () => this.#onEnd());
    source.on('end', () => this.#onEnd());
  }

  /** Routes output to `sink` until the next end marker or the end of the stream. */
  capture(sink: OutputSink): OutputCapture {
    this.detach();
    if (this.#ended) return { finished: Promise.resolve('eof') };
    let resolve!: (end: CaptureEnd) => void;
    const finished = new Promise<CaptureEnd>((r) => (resolve = r));
    this.#capture = { sink, resolve, cancelDrain: null };
    return { finished };
  }

  /** Stops routing to the current capture (the try gave up waiting for its marker). */
  detach(): void {
    this.#finishCapture('detached');
  }

  #onData(chunk: Buffer): void {
    let data = this.#pendingPrefix === null ? chunk : Buffer.concat([this.#pendingPrefix, chunk]);
    this.#pendingPrefix = null;
    while (data.length > 0) {
      if (this.#inMarkerBody) {
        const newline = data.indexOf(NEWLINE);
        if (newline === -1) return; // the rest of the chunk is marker JSON; skip it
        this.#inMarkerBody = false;
        this.#finishCapture('marker');
        data = data.subarray(newline + 1);
        continue;
      }
      const nul = data.indexOf(NUL);
      if (nul === -1) {
        this.#emit(data);
        return;
      }
      if (nul > 0) this.#emit(data.subarray(0, nul));
      const rest = data.subarray(nul);
      const comparable = Math.min(rest.length, MARKER.length);
      if (rest.subarray(0, comparable).equals(MARKER.subarray(0, comparable))) {
        if (comparable < MARKER.length) {
          this.#pendingPrefix = Buffer.from(rest); // copy: the source may reuse its buffer
          return;
        }
        this.#inMarkerBody = true;
        data = rest.subarray(MARKER.length);
        continue;
      }
      // A NUL that does not start a marker is ordinary output.
      this.#emit(rest.subarray(0, 1));
      data = rest.subarray(1);
    }
  }

  #emit(bytes: Buffer): void {
    const capture = this.#capture;
    if (capture === null) {
      this.#onStray(bytes);
      return;
    }
    if (!capture.sink.write(bytes) && capture.cancelDrain === null) {
      this.#source.pause();
      capture.cancelDrain = capture.sink.onDrain(() => {
        capture.cancelDrain = null;
        this.#source.resume();
      });
    }
  }

  #onEnd(): void {
    if (this.#ended) return;
    this.#ended = true;
    // A half-written marker prefix at end of stream was output after all.
    if (this.#pendingPrefix !== null) this.#emit(this.#pendingPrefix);
    this.#pendingPrefix = null;
    this.#finishCapture('eof');
  }

  #finishCapture(end: CaptureEnd): void {
    const capture = this.#capture;
    if (capture === null) return;
    this.#capture = null;
    if (capture.cancelDrain !== null) {
      capture.cancelDrain();
      this.#source.resume();
    }
    capture.resolve(end);
  }
}
