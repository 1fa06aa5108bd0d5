import type { SerializedError } from '../contracts/errors.ts';
import type { SerializedDag } from '../contracts/serialized-dag.ts';

/** The outcome of importing one DAG file in an isolated process. */
export type FileParseResult =
  | { file: string; ok: true; dags: SerializedDag[]; sourceCode: string; durationMs: number }
  | { file: string; ok: false; error: SerializedError; sourceCode: string; durationMs: number };

/** Parent -> parse process. */
export interface ParseRequest {
  type: 'parse';
  file: string;
  /** Changes when the file changes, so that a reused process imports the new content. */
  cacheBust: string;
}

/** Parse process -> parent. */
export type ParseProcessMessage = { type: 'ready' } | { type: 'parsed'; result: FileParseResult };
