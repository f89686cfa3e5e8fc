/**
 * Records a live sample stream to a trace file (format in trace-format.ts). Writes go through a
 * Node stream, so slow disks apply back-pressure in the stream's buffer rather than blocking the
 * event loop. Files are created owner-only (0600, whatever the umask): a trace is biometric data.
 */
import { createWriteStream, fchmodSync, fstatSync, openSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { TRACE_FORMAT, TRACE_VERSION, traceLine, type TraceSample } from './trace-format.js';

export interface TraceWriterMeta {
  source?: string;
  note?: string;
  createdAt?: number;
}

/** Mode of every trace file this writer creates or reopens. */
export const TRACE_FILE_MODE = 0o600;

/**
 * @example
 * const w = TraceWriter.toFile('data/show-42.trace.jsonl', { source: 'hub' });
 * w.write({ t: Date.now(), bpm: 72, seat: 'A1' });
 * await w.close();
 */
export class TraceWriter {
  private count = 0;
  private closed = false;
  private failure: Error | null = null;

  /**
   * `header: false` continues a file that has one. A write error (disk full) stops the writer
   * instead of surfacing as an unhandled stream error; `onError` hears of it once.
   */
  constructor(
    private readonly out: Writable,
    meta: TraceWriterMeta = {},
    opts: { header?: boolean; onError?: (err: Error) => void } = {},
  ) {
    out.on('error', (err) => {
      if (this.failure) return;
      this.failure = err;
      this.closed = true;
      opts.onError?.(err);
    });
    if (opts.header === false) return;
    const header = {
      format: TRACE_FORMAT,
      version: TRACE_VERSION,
      createdAt: meta.createdAt ?? Date.now(),
      ...(meta.source !== undefined ? { source: meta.source } : {}),
      ...(meta.note !== undefined ? { note: meta.note } : {}),
    };
    out.write(`${JSON.stringify(header)}\n`);
  }

  /**
   * Opens `path` for writing: truncated, or with `append` continued after what it holds (the
   * header is written only into an empty file). The file is made 0600 either way.
   */
  static toFile(
    path: string,
    meta: TraceWriterMeta = {},
    opts: { append?: boolean; onError?: (err: Error) => void } = {},
  ): TraceWriter {
    const fd = openSync(path, opts.append ? 'a' : 'w', TRACE_FILE_MODE);
    fchmodSync(fd, TRACE_FILE_MODE); // the umask may have narrowed the mode, or the file existed
    const empty = fstatSync(fd).size === 0;
    return new TraceWriter(createWriteStream('', { fd }), meta, {
      header: empty,
      ...(opts.onError ? { onError: opts.onError } : {}),
    });
  }

  /** The write error that stopped this writer, if any. */
  get failed(): Error | null {
    return this.failure;
  }

  /** Samples written so far. */
  get written(): number {
    return this.count;
  }

  write(sample: TraceSample): void {
    if (this.closed) return;
    this.out.write(`${traceLine(sample)}\n`);
    this.count += 1;
  }

  /** Flushes and closes the underlying stream (resolves at once after a write error). */
  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    return new Promise((resolve) => {
      this.out.once('error', () => resolve());
      this.out.end(() => resolve());
    });
  }
}
