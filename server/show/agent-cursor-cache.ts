/**
 * The venue agents' exactly-once cursors (`/seats` protocol), kept in memory with a write-behind to
 * the store.
 *
 * Without it every `batch` costs a store read and a store write (one SQLite transaction each): at
 * 2,000 seats × 4 Hz that was a third of the hub's busy CPU, more than socket.io itself. Here a
 * cursor is read from the store once per agent, then served from memory; writes are coalesced per
 * agent and flushed every `flushMs` (one transaction when the store offers `setAgentCursors`) and on
 * `close()`.
 *
 * Durability: a crash loses at most the last `flushMs` of cursor advances, so an agent resending
 * those batches after a restart has them processed again (at-least-once for that window). For a
 * show that is harmless: its audience state lives in memory and restarts empty with the process,
 * and seat samples persisted under consent are themselves flushed on the show tick (same order of
 * delay). Exactly-once holds across network outages, reconnects and resends while the hub runs.
 */
import type { Store } from '../store/store.js';

export type CursorStore = Pick<Store, 'getAgentCursor' | 'setAgentCursor'> & {
  /** Optional batched write (SqliteStore): one transaction for a whole flush. */
  setAgentCursors?(entries: ReadonlyArray<readonly [string, number]>): Promise<void>;
};

export interface AgentCursorCacheOptions {
  store: CursorStore;
  /** Write-behind period, ms (default 1000). */
  flushMs?: number;
  /** Cached agents before clean entries are evicted (default 100,000). */
  maxEntries?: number;
  onError?: (err: unknown) => void;
}

export class AgentCursorCache implements Pick<Store, 'getAgentCursor' | 'setAgentCursor'> {
  private readonly store: CursorStore;
  private readonly cursors = new Map<string, number>();
  private dirty = new Map<string, number>();
  private readonly flushMs: number;
  private readonly maxEntries: number;
  private readonly onError: (err: unknown) => void;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(opts: AgentCursorCacheOptions) {
    this.store = opts.store;
    this.flushMs = opts.flushMs ?? 1000;
    this.maxEntries = opts.maxEntries ?? 100_000;
    this.onError = opts.onError ?? (() => undefined);
  }

  getAgentCursor(agentId: string): Promise<number> {
    const known = this.cursors.get(agentId);
    if (known !== undefined) return Promise.resolve(known);
    return this.store.getAgentCursor(agentId).then((stored) => {
      // A set() may have raced the read: the larger value is the newer one.
      const now = Math.max(stored, this.cursors.get(agentId) ?? 0);
      this.remember(agentId, now);
      return now;
    });
  }

  setAgentCursor(agentId: string, seq: number): Promise<void> {
    if (this.closed) return this.store.setAgentCursor(agentId, seq);
    this.advance(agentId, seq);
    return Promise.resolve();
  }

  /** The cursor when it is in memory (no I/O), else undefined (seat-namespace's fast path). */
  peek(agentId: string): number | undefined {
    return this.closed ? undefined : this.cursors.get(agentId);
  }

  /** Records a processed batch; written to the store on the next flush. */
  advance(agentId: string, seq: number): void {
    if (this.closed) {
      this.store.setAgentCursor(agentId, seq).catch(this.onError);
      return;
    }
    this.remember(agentId, seq);
    this.dirty.set(agentId, seq);
    this.timer ??= setTimeout(() => void this.flush(), this.flushMs).unref();
  }

  /** Writes every changed cursor to the store. */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.dirty.size === 0) return;
    const batch = this.dirty;
    this.dirty = new Map();
    const entries = [...batch];
    try {
      if (this.store.setAgentCursors) await this.store.setAgentCursors(entries);
      else for (const [agentId, seq] of entries) await this.store.setAgentCursor(agentId, seq);
    } catch (err) {
      // Keep them for the next flush (newer values written meanwhile win).
      for (const [agentId, seq] of batch)
        if (!this.dirty.has(agentId)) this.dirty.set(agentId, seq);
      this.timer ??= setTimeout(() => void this.flush(), this.flushMs).unref();
      this.onError(err);
    }
  }

  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
  }

  private remember(agentId: string, seq: number): void {
    if (this.cursors.size >= this.maxEntries && !this.cursors.has(agentId)) {
      // Bounded: forget agents whose cursor is already stored (they are read again on demand).
      for (const id of this.cursors.keys()) if (!this.dirty.has(id)) this.cursors.delete(id);
    }
    this.cursors.set(agentId, seq);
  }
}
