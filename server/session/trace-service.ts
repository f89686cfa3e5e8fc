/**
 * Records every consenting session's live sample stream to a trace file
 * (`<dir>/<session id>.trace.jsonl`, the sensors stage's format), which
 * `frisson sensors replay` plays back into a hub. Off unless FRISSON_TRACE_DIR is set.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { TraceWriter } from '../../sensors/trace/trace-writer.js';
import type { Session } from './session.js';

export class TraceService {
  private readonly dir: string;
  private readonly writers = new Map<string, TraceWriter>();

  constructor(dir: string) {
    this.dir = dir;
    mkdirSync(dir, { recursive: true });
  }

  attach(session: Session): void {
    if (this.writers.has(session.id)) return;
    session.on('sample', (sample) => {
      let w = this.writers.get(session.id);
      if (!w) {
        w = TraceWriter.toFile(join(this.dir, `${session.id}.trace.jsonl`), {
          source: `session ${session.id}`,
        });
        this.writers.set(session.id, w);
      }
      w.write(sample);
    });
    session.on('ended', () => {
      const w = this.writers.get(session.id);
      this.writers.delete(session.id);
      void w?.close();
    });
  }

  pathFor(sessionId: string): string {
    return join(this.dir, `${sessionId}.trace.jsonl`);
  }

  async close(): Promise<void> {
    await Promise.all([...this.writers.values()].map((w) => w.close()));
    this.writers.clear();
  }
}
