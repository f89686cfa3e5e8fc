/**
 * The store as the rest of the server sees it: a `Store` that turns a failing database (disk full,
 * I/O error, read-only file) into one coded error, one log line per change of state, a metric and
 * a readiness answer, instead of a stack trace per attempt.
 *
 * - A fault is a SQLite error other than a constraint (`SQLITE_FULL`, `SQLITE_IOERR_*`,
 *   `SQLITE_READONLY`, `SQLITE_CORRUPT`, …). The call rejects with
 *   `FrissonError('FRISSON_ERR_STORE_UNAVAILABLE')` (HTTP 503): callers that must not go on
 *   without the write — a session publishing a segment — hold; HTTP routes answer 503.
 * - Constraint errors and anything that is not SQLite's are the caller's, re-thrown unchanged and
 *   not counted.
 * - The store is *failing* from the first fault until a write succeeds after `quietMs` without a
 *   new fault (a nearly full disk alternates; this keeps the log to one line per episode, not one
 *   per flap). While failing, a probe write runs every `probeMs`, so recovery is noticed even when
 *   nothing else writes.
 *
 * @example
 *   const store = new GuardedStore(SqliteStore.open(path), { name: path, log, onFault: metrics.storeFailure });
 *   store.health(); // { ok: true } | { ok: false, code: 'SQLITE_FULL', … }
 */
import type { Logger } from 'pino';
import { FrissonError } from '../../contracts/errors.js';
import type {
  DecisionRecord,
  NarrationRecord,
  SessionRecord,
  ShowRecord,
  Store,
  StoredSample,
  VoteRecord,
  VoteResultRecord,
} from './store.js';

export interface StoreFault {
  /** The SQLite code of the last fault, e.g. SQLITE_FULL. */
  code: string;
  /** SQLite's own message, e.g. "database or disk is full". */
  message: string;
  /** The store operation that failed last. */
  operation: string;
  /** When the store started failing (ms since epoch). */
  since: number;
  /** Failed operations since then. */
  failures: number;
}

export type StoreHealth = { ok: true } | ({ ok: false } & StoreFault);

export interface GuardedStoreOptions {
  /** How the store is named in logs and /readyz (its file). */
  name: string;
  log: Logger;
  /** Called for every failed operation (metrics). */
  onFault?: (operation: string, code: string) => void;
  clock?: () => number;
  /** Fault-free time before a successful write counts as recovery (ms, default 2000). */
  quietMs?: number;
  /** Probe write period while failing (ms, default 1000). */
  probeMs?: number;
}

/** A SQLite error code, when `err` is one (better-sqlite3's SqliteError carries `code`). */
function sqliteCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
}

/** Whether `err` is the guard's refusal (for callers that stay quiet about it: it was logged). */
export function isStoreUnavailable(err: unknown): boolean {
  return err instanceof FrissonError && err.code === 'FRISSON_ERR_STORE_UNAVAILABLE';
}

export class GuardedStore implements Store {
  private readonly inner: Store;
  private readonly opts: GuardedStoreOptions;
  private readonly clock: () => number;
  private fault: StoreFault | null = null;
  private lastFaultAt = 0;
  private probeTimer: NodeJS.Timeout | null = null;

  constructor(inner: Store, opts: GuardedStoreOptions) {
    this.inner = inner;
    this.opts = opts;
    this.clock = opts.clock ?? Date.now;
  }

  health(): StoreHealth {
    return this.fault ? { ok: false, ...this.fault } : { ok: true };
  }

  /** One line for /readyz: which store fails, how, since when. */
  describeFault(): string | null {
    const f = this.fault;
    if (!f) return null;
    return `${this.opts.name}: ${f.code} (${f.message}) on ${f.operation} since ${new Date(f.since).toISOString()}, ${f.failures} failed operations`;
  }

  private async run<T>(operation: string, write: boolean, fn: () => Promise<T>): Promise<T> {
    let result: T;
    try {
      // Synchronous stores (SQLite) throw from the call itself, not from the promise.
      result = await fn();
    } catch (err) {
      const code = sqliteCode(err);
      if (!code || code.startsWith('SQLITE_CONSTRAINT')) throw err;
      this.failed(operation, code, err instanceof Error ? err.message : String(err));
      throw new FrissonError('FRISSON_ERR_STORE_UNAVAILABLE');
    }
    if (write && this.fault && this.clock() - this.lastFaultAt >= (this.opts.quietMs ?? 2000)) {
      this.recovered();
    }
    return result;
  }

  private failed(operation: string, code: string, message: string): void {
    const now = this.clock();
    this.lastFaultAt = now;
    this.opts.onFault?.(operation, code);
    const f = this.fault;
    if (f && f.code === code) {
      f.failures++;
      f.operation = operation;
      return;
    }
    this.fault = {
      code,
      message,
      operation,
      since: f?.since ?? now,
      failures: (f?.failures ?? 0) + 1,
    };
    // The one line of this episode (or of its change of cause): no stack, the cause is the code.
    this.opts.log.error(
      { store: this.opts.name, code, operation },
      `store failing: ${code} (${message}); no new segment is published and samples wait in memory until it recovers`,
    );
    if (!this.probeTimer) {
      this.probeTimer = setInterval(() => void this.runProbe(), this.opts.probeMs ?? 1000);
      this.probeTimer.unref();
    }
  }

  private recovered(): void {
    const f = this.fault;
    this.fault = null;
    if (this.probeTimer) clearInterval(this.probeTimer);
    this.probeTimer = null;
    if (f) {
      this.opts.log.warn(
        {
          store: this.opts.name,
          code: f.code,
          failures: f.failures,
          downMs: this.clock() - f.since,
        },
        'store recovered: publishing and sample storage resume',
      );
    }
  }

  private async runProbe(): Promise<void> {
    const probe = this.inner.probe?.bind(this.inner);
    if (!probe) return;
    await this.run('probe', true, probe).catch(() => {
      /* counted and logged by run */
    });
  }

  // --- Store -------------------------------------------------------------------------------------

  createSession(rec: SessionRecord): Promise<void> {
    return this.run('createSession', true, () => this.inner.createSession(rec));
  }
  getSession(id: string): Promise<SessionRecord | undefined> {
    return this.run('getSession', false, () => this.inner.getSession(id));
  }
  listSessions(opts?: { activeOnly?: boolean }): Promise<SessionRecord[]> {
    return this.run('listSessions', false, () => this.inner.listSessions(opts));
  }
  updateSessionState(id: string, state: string): Promise<void> {
    return this.run('updateSessionState', true, () => this.inner.updateSessionState(id, state));
  }
  endSession(id: string, at: number): Promise<void> {
    return this.run('endSession', true, () => this.inner.endSession(id, at));
  }
  setSessionConsent(id: string, consent: boolean): Promise<void> {
    return this.run('setSessionConsent', true, () => this.inner.setSessionConsent(id, consent));
  }
  appendDecision(rec: DecisionRecord): Promise<void> {
    return this.run('appendDecision', true, () => this.inner.appendDecision(rec));
  }
  recordPublish(rec: DecisionRecord, state: string): Promise<void> {
    const inner = this.inner;
    return this.run('recordPublish', true, async () => {
      if (inner.recordPublish) return inner.recordPublish(rec, state);
      await inner.appendDecision(rec);
      await inner.updateSessionState(rec.sessionId, state);
    });
  }
  listDecisions(sessionId: string): Promise<DecisionRecord[]> {
    return this.run('listDecisions', false, () => this.inner.listDecisions(sessionId));
  }
  appendSamples(samples: StoredSample[]): Promise<void> {
    return this.run('appendSamples', true, () => this.inner.appendSamples(samples));
  }
  countSamples(sessionId: string): Promise<number> {
    return this.run('countSamples', false, () => this.inner.countSamples(sessionId));
  }
  getAgentCursor(agentId: string): Promise<number> {
    return this.run('getAgentCursor', false, () => this.inner.getAgentCursor(agentId));
  }
  setAgentCursor(agentId: string, seq: number): Promise<void> {
    return this.run('setAgentCursor', true, () => this.inner.setAgentCursor(agentId, seq));
  }
  /** Batched cursor write when the inner store has one (SQLite: one transaction). */
  setAgentCursors(entries: ReadonlyArray<readonly [agentId: string, seq: number]>): Promise<void> {
    const inner = this.inner as Store & {
      setAgentCursors?: (e: ReadonlyArray<readonly [string, number]>) => Promise<void>;
    };
    return this.run('setAgentCursors', true, async () => {
      if (inner.setAgentCursors) return inner.setAgentCursors(entries);
      for (const [id, seq] of entries) await inner.setAgentCursor(id, seq);
    });
  }
  listSamples(sessionId: string, opts?: { source?: string }): Promise<StoredSample[]> {
    return this.run('listSamples', false, () => this.inner.listSamples(sessionId, opts));
  }
  eraseSamples(sessionId: string, source: string, at: number): Promise<number> {
    return this.run('eraseSamples', true, () => this.inner.eraseSamples(sessionId, source, at));
  }
  listErasures(sessionId: string): Promise<string[]> {
    return this.run('listErasures', false, () => this.inner.listErasures(sessionId));
  }
  purgeSamplesBefore(t: number): Promise<number> {
    return this.run('purgeSamplesBefore', true, () => this.inner.purgeSamplesBefore(t));
  }
  createShow(rec: ShowRecord): Promise<void> {
    return this.run('createShow', true, () => this.inner.createShow(rec));
  }
  getShow(id: string): Promise<ShowRecord | undefined> {
    return this.run('getShow', false, () => this.inner.getShow(id));
  }
  listShows(): Promise<ShowRecord[]> {
    return this.run('listShows', false, () => this.inner.listShows());
  }
  endShow(id: string, at: number): Promise<void> {
    return this.run('endShow', true, () => this.inner.endShow(id, at));
  }
  addSeats(showId: string, seats: string[], at: number): Promise<void> {
    return this.run('addSeats', true, () => this.inner.addSeats(showId, seats, at));
  }
  listSeats(showId: string): Promise<string[]> {
    return this.run('listSeats', false, () => this.inner.listSeats(showId));
  }
  appendVote(rec: VoteRecord): Promise<void> {
    return this.run('appendVote', true, () => this.inner.appendVote(rec));
  }
  listVotes(showId: string): Promise<VoteRecord[]> {
    return this.run('listVotes', false, () => this.inner.listVotes(showId));
  }
  appendVoteResult(rec: VoteResultRecord): Promise<void> {
    return this.run('appendVoteResult', true, () => this.inner.appendVoteResult(rec));
  }
  listVoteResults(showId: string): Promise<VoteResultRecord[]> {
    return this.run('listVoteResults', false, () => this.inner.listVoteResults(showId));
  }
  appendNarration(rec: NarrationRecord): Promise<void> {
    return this.run('appendNarration', true, () => this.inner.appendNarration(rec));
  }
  listNarration(sessionId: string): Promise<NarrationRecord[]> {
    return this.run('listNarration', false, () => this.inner.listNarration(sessionId));
  }
  probe(): Promise<void> {
    return this.run('probe', true, () => this.inner.probe?.() ?? Promise.resolve());
  }
  close(): Promise<void> {
    if (this.probeTimer) clearInterval(this.probeTimer);
    this.probeTimer = null;
    return this.inner.close();
  }
}
