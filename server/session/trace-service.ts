/**
 * Records every consenting session's live sample stream to a trace file
 * (`<dir>/<session id>.trace.jsonl`, the sensors stage's format), which
 * `frisson sensors replay` plays back into a hub. Off unless FRISSON_TRACE_DIR is set.
 *
 * Trace files are biometric data like the store's samples, so privacy reaches them too: `erase`
 * deletes a session's file (or removes one seat's lines from it) and `purgeBefore` applies the
 * retention period, each safely while the session is still recording — its writer is closed
 * first, samples arriving meanwhile wait in memory, and recording continues in append mode.
 * Files are 0600 and the directory, when this creates it, 0700.
 */
import { mkdirSync } from 'node:fs';
import { chmod, open, readdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { Logger } from 'pino';
import { traceLine, type TraceSample } from '../../sensors/trace/trace-format.js';
import { TRACE_FILE_MODE, TraceWriter } from '../../sensors/trace/trace-writer.js';
import type { Session } from './session.js';

const SUFFIX = '.trace.jsonl';

/** What a rewrite removed: files deleted or rewritten, and sample lines taken out of them. */
export interface TraceRemoval {
  files: number;
  samples: number;
}

export class TraceService {
  private readonly dir: string;
  private readonly writers = new Map<string, TraceWriter>();
  /** Sessions whose file is being rewritten: their new samples wait here. */
  private readonly held = new Map<string, TraceSample[]>();
  /** Per session, the rewrite in progress (rewrites of one file run one after another). */
  private readonly rewrites = new Map<string, Promise<unknown>>();

  private readonly log: Logger | undefined;

  constructor(dir: string, opts: { log?: Logger } = {}) {
    this.dir = dir;
    this.log = opts.log;
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }

  attach(session: Session): void {
    if (this.writers.has(session.id)) return;
    session.on('sample', (sample) => this.record(session.id, sample));
    session.on('ended', () => {
      const w = this.writers.get(session.id);
      this.writers.delete(session.id);
      void w?.close();
    });
  }

  pathFor(sessionId: string): string {
    return join(this.dir, `${sessionId}${SUFFIX}`);
  }

  private record(sessionId: string, sample: TraceSample): void {
    const held = this.held.get(sessionId);
    if (held) {
      held.push(sample);
      return;
    }
    let w = this.writers.get(sessionId);
    if (!w) {
      const path = this.pathFor(sessionId);
      const onError = (err: Error): void =>
        this.log?.error(
          { session: sessionId, path, code: (err as NodeJS.ErrnoException).code },
          `trace recording stopped: ${err.message}`,
        );
      try {
        // Append: a resumed session (after a restart or a rewrite) continues its file.
        w = TraceWriter.toFile(path, { source: `session ${sessionId}` }, { append: true, onError });
      } catch (err) {
        // Once per session: the failed writer stays in the map and drops what follows.
        onError(err instanceof Error ? err : new Error(String(err)));
        w = new TraceWriter(new ClosedSink(), {}, { header: false });
        void w.close();
      }
      this.writers.set(sessionId, w);
    }
    w.write(sample);
  }

  /**
   * Privacy erase: the session's trace file is deleted, or with `seat` only that seat's lines are
   * removed. Samples of the erased viewer still waiting are dropped.
   */
  erase(sessionId: string, seat?: string): Promise<TraceRemoval> {
    return this.rewrite(sessionId, seat === undefined ? () => false : (s) => s.seat !== seat);
  }

  /** Retention: removes every traced sample older than `cutoff` (ms since epoch). */
  async purgeBefore(cutoff: number): Promise<TraceRemoval> {
    const total: TraceRemoval = { files: 0, samples: 0 };
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      return total;
    }
    for (const name of names) {
      if (!name.endsWith(SUFFIX)) continue;
      const id = name.slice(0, -SUFFIX.length);
      // Samples are appended in time order: a file whose first sample is recent is kept as it is
      // without reading it all (a long retention keeps large files).
      const first = await this.firstSampleT(join(this.dir, name));
      if (first !== null && first >= cutoff) continue;
      const r = await this.rewrite(id, (s) => s.t >= cutoff);
      total.files += r.files;
      total.samples += r.samples;
    }
    return total;
  }

  async close(): Promise<void> {
    await Promise.all([...this.rewrites.values()]);
    await Promise.all([...this.writers.values()].map((w) => w.close()));
    this.writers.clear();
  }

  /** Runs `keepLines` over one session's file, one rewrite of a file at a time. */
  private rewrite(sessionId: string, keep: (s: TraceSample) => boolean): Promise<TraceRemoval> {
    const before = this.rewrites.get(sessionId) ?? Promise.resolve();
    const run = before.then(() => this.rewriteNow(sessionId, keep));
    const settled = run.catch(() => undefined);
    this.rewrites.set(sessionId, settled);
    void settled.then(() => {
      if (this.rewrites.get(sessionId) === settled) this.rewrites.delete(sessionId);
    });
    return run;
  }

  private async rewriteNow(
    sessionId: string,
    keep: (s: TraceSample) => boolean,
  ): Promise<TraceRemoval> {
    const path = this.pathFor(sessionId);
    const waiting: TraceSample[] = [];
    this.held.set(sessionId, waiting);
    let removal: TraceRemoval = { files: 0, samples: 0 };
    try {
      const w = this.writers.get(sessionId);
      this.writers.delete(sessionId);
      await w?.close();
      removal = await this.filterFile(path, keep);
    } finally {
      this.held.delete(sessionId);
      const kept = waiting.filter(keep);
      removal.samples += waiting.length - kept.length;
      for (const s of kept) this.record(sessionId, s);
    }
    return removal;
  }

  /** Keeps the header and the samples `keep` accepts; deletes the file when none remain. */
  private async filterFile(path: string, keep: (s: TraceSample) => boolean): Promise<TraceRemoval> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch {
      return { files: 0, samples: 0 };
    }
    let header: string | null = null;
    const kept: string[] = [];
    let removed = 0;
    for (const raw of text.split('\n')) {
      const line = raw.trim();
      if (line === '') continue;
      if (header === null) {
        header = line;
        continue;
      }
      let sample: TraceSample | null;
      try {
        sample = JSON.parse(line) as TraceSample;
      } catch {
        sample = null;
      }
      // A line that cannot be read cannot be shown to be someone else's: it goes too.
      if (sample !== null && typeof sample.t === 'number' && keep(sample)) {
        kept.push(traceLine(sample));
      } else {
        removed++;
      }
    }
    if (removed === 0) return { files: 0, samples: 0 };
    if (kept.length === 0) {
      await unlink(path);
    } else {
      const tmp = `${path}.${process.pid}.tmp`;
      await writeFile(tmp, `${[header, ...kept].join('\n')}\n`, { mode: TRACE_FILE_MODE });
      await chmod(tmp, TRACE_FILE_MODE);
      await rename(tmp, path);
    }
    return { files: 1, samples: removed };
  }

  /** `t` of the first sample line, or null when there is none or it cannot be read. */
  private async firstSampleT(path: string): Promise<number | null> {
    try {
      const fh = await open(path, 'r');
      try {
        const buf = Buffer.alloc(64 * 1024);
        const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
        const lines = buf
          .subarray(0, bytesRead)
          .toString('utf8')
          .split('\n')
          .filter((l) => l.trim() !== '');
        const line = lines[1];
        if (line === undefined) return null;
        const t = (JSON.parse(line) as { t?: unknown }).t;
        return typeof t === 'number' ? t : null;
      } finally {
        await fh.close();
      }
    } catch {
      return null; // unreadable or cut by the window: the caller reads the whole file
    }
  }
}

/** Where a session's samples go once its trace file could not be opened: nowhere. */
class ClosedSink extends Writable {
  override _write(_chunk: unknown, _enc: BufferEncoding, done: () => void): void {
    done();
  }
}
