/**
 * The venue agents' exactly-once cursors (`/seats` protocol), kept in memory with a write-behind to
 * the store.
 *
 * Without it every `batch` costs a store read and a store write (one SQLite transaction each): at
 * 2,000 seats × 4 Hz that was a third of the hub's busy CPU, more than socket.io itself. Here a
 * cursor is read from the store once per agent, then served from memory; writes are coalesced per
 * agent and flushed every `flushMs` (one transaction when the store offers `setAgentCursors`) and on
 * `close()`. The hot path holds a `CursorSlot` per connection, so a batch reads and advances its
 * cursor without a map lookup.
 *
 * Durability: a crash loses at most the last `flushMs` of cursor advances, so an agent resending
 * those batches after a restart has them processed again (at-least-once for that window). For a
 * show that is harmless: its audience state lives in memory and restarts empty with the process,
 * and seat samples persisted under consent are themselves flushed on the show tick (same order of
 * delay). Exactly-once holds across network outages, reconnects and resends while the hub runs.
 */
import type { CursorSlot } from './seat-namespace.js';
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

class Slot implements CursorSlot {
  dirty = false;
  live = true;
  constructor(
    private readonly cache: AgentCursorCache,
    readonly agentId: string,
    public seq: number,
  ) {}

  advance(seq: number): void {
    this.cache.advanceSlot(this, seq);
  }
}

export class AgentCursorCache implements Pick<Store, 'getAgentCursor' | 'setAgentCursor'> {
  private readonly store: CursorStore;
  private readonly cursors = new Map<string, Slot>();
  private dirty: Slot[] = [];
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
    if (known !== undefined) return Promise.resolve(known.seq);
    return this.store.getAgentCursor(agentId).then((stored) => {
      // A set() may have raced the read: the larger value is the newer one.
      const slot = this.cursors.get(agentId);
      if (slot) {
        if (stored > slot.seq) slot.seq = stored;
        return slot.seq;
      }
      this.insert(new Slot(this, agentId, stored));
      return stored;
    });
  }

  setAgentCursor(agentId: string, seq: number): Promise<void> {
    if (this.closed) return this.store.setAgentCursor(agentId, seq);
    this.advanceSlot(this.cursors.get(agentId) ?? this.insert(new Slot(this, agentId, seq)), seq);
    return Promise.resolve();
  }

  /**
   * The agent's cursor handle when it is in memory (no I/O), else undefined. seat-namespace's fast
   * path keeps it per connection: a batch then reads and advances its cursor without a map lookup.
   */
  slot(agentId: string): CursorSlot | undefined {
    return this.closed ? undefined : this.cursors.get(agentId);
  }

  /** @internal CursorSlot.advance */
  advanceSlot(slot: Slot, seq: number): void {
    if (this.closed) {
      this.store.setAgentCursor(slot.agentId, seq).catch(this.onError);
      return;
    }
    if (!slot.live) {
      // Evicted while its holder kept it: the agent may have been read in again meanwhile.
      const current = this.cursors.get(slot.agentId);
      if (current && current !== slot) return this.advanceSlot(current, seq);
      this.insert(slot);
    }
    slot.seq = seq;
    if (!slot.dirty) {
      slot.dirty = true;
      this.dirty.push(slot);
    }
    this.timer ??= setTimeout(() => void this.flush(), this.flushMs).unref();
  }

  /** Writes every changed cursor to the store. */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.dirty.length === 0) return;
    const batch = this.dirty;
    this.dirty = [];
    const entries = batch.map((s) => [s.agentId, s.seq] as const);
    for (const s of batch) s.dirty = false;
    try {
      if (this.store.setAgentCursors) await this.store.setAgentCursors(entries);
      else for (const [agentId, seq] of entries) await this.store.setAgentCursor(agentId, seq);
    } catch (err) {
      // Keep them for the next flush (a slot advanced meanwhile is queued already, newer value).
      for (const s of batch) {
        if (!s.dirty) {
          s.dirty = true;
          this.dirty.push(s);
        }
      }
      this.timer ??= setTimeout(() => void this.flush(), this.flushMs).unref();
      this.onError(err);
    }
  }

  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
    for (const s of this.cursors.values()) s.live = false;
  }

  private insert(slot: Slot): Slot {
    if (this.cursors.size >= this.maxEntries) {
      // Bounded: forget agents whose cursor is already stored (they are read again on demand).
      for (const s of this.cursors.values()) {
        if (!s.dirty) {
          s.live = false;
          this.cursors.delete(s.agentId);
        }
      }
    }
    slot.live = true;
    this.cursors.set(slot.agentId, slot);
    return slot;
  }
}
