/**
 * Records a live sample stream to a trace file (format in trace-format.ts). Writes go through a
 * Node stream, so slow disks apply back-pressure in the stream's buffer rather than blocking the
 * event loop.
 */
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { TRACE_FORMAT, TRACE_VERSION, traceLine, type TraceSample } from './trace-format.js';

export interface TraceWriterMeta {
  source?: string;
  note?: string;
  createdAt?: number;
}

/**
 * @example
 * const w = TraceWriter.toFile('data/show-42.trace.jsonl', { source: 'hub' });
 * w.write({ t: Date.now(), bpm: 72, seat: 'A1' });
 * await w.close();
 */
export class TraceWriter {
  private count = 0;
  private closed = false;

  constructor(
    private readonly out: Writable,
    meta: TraceWriterMeta = {},
  ) {
    const header = {
      format: TRACE_FORMAT,
      version: TRACE_VERSION,
      createdAt: meta.createdAt ?? Date.now(),
      ...(meta.source !== undefined ? { source: meta.source } : {}),
      ...(meta.note !== undefined ? { note: meta.note } : {}),
    };
    out.write(`${JSON.stringify(header)}\n`);
  }

  /** Opens (truncates) `path` for writing. */
  static toFile(path: string, meta: TraceWriterMeta = {}): TraceWriter {
    return new TraceWriter(createWriteStream(path, { flags: 'w' }), meta);
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

  /** Flushes and closes the underlying stream. */
  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    return new Promise((resolve, reject) => {
      this.out.once('error', reject);
      this.out.end(() => resolve());
    });
  }
}
