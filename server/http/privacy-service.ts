/**
 * Biometric data rights: per-viewer export (JSON) and erase, and the retention purge.
 *
 * A "viewer" is a home session, or one seat of a show (samples of the show's screen session whose
 * source is that seat). Erase reaches every place a sample of that viewer can be:
 *
 * - memory: samples not yet flushed are dropped (the session's or the show's queue);
 * - the database: rows deleted with `secure_delete` and the WAL checkpointed (TRUNCATE), so the
 *   values are in neither the database file nor its `-wal`; the erasure itself is recorded, so
 *   nothing of that viewer is stored again, after a restart too (consent withdrawn);
 * - trace files (`FRISSON_TRACE_DIR`): the session's file is deleted, or the seat's lines removed,
 *   with its writer closed first.
 *
 * Retention (`FRISSON_RETENTION_DAYS`) purges the database and the trace files alike. Decisions
 * are kept: they hold the aggregate arousal the director saw, not a person's samples.
 */
import type { Logger } from 'pino';
import type { SessionManager } from '../session/session-manager.js';
import type { TraceRemoval, TraceService } from '../session/trace-service.js';
import type { ShowManager } from '../show/show-manager.js';
import { ERASE_ALL_SOURCES, type Store } from '../store/store.js';
import { FrissonError } from '../../contracts/errors.js';
import { isStoreUnavailable } from '../store/guarded-store.js';

const DAY_MS = 86_400_000;
const PURGE_EVERY_MS = 3_600_000;

export interface PrivacyServiceOptions {
  store: Store;
  sessions: SessionManager;
  shows: ShowManager;
  log: Logger;
  /** Days of biometric data kept (0 = keep forever). */
  retentionDays: number;
  /** The live trace recorder, when FRISSON_TRACE_DIR is set. */
  traces?: TraceService | null;
  clock?: () => number;
}

/**
 * What an erase removed, where. `erased` is the database count (the field's meaning before
 * trace files and queues were covered, kept for existing clients).
 */
export interface EraseReport {
  erased: number;
  where: {
    /** Rows deleted from the database (secure_delete, WAL checkpointed). */
    database: { samples: number };
    /** Samples dropped before they were written. */
    memory: { samples: number };
    /** Trace files deleted or rewritten and sample lines removed; null when tracing is off. */
    traces: TraceRemoval | null;
  };
}

export interface PurgeReport {
  cutoff: number;
  database: { samples: number };
  traces: TraceRemoval | null;
}

export class PrivacyService {
  private readonly opts: PrivacyServiceOptions;
  private readonly clock: () => number;
  private timer: NodeJS.Timeout | null = null;

  constructor(opts: PrivacyServiceOptions) {
    this.opts = opts;
    this.clock = opts.clock ?? Date.now;
  }

  /** Purges at once, then every hour. */
  async start(): Promise<void> {
    await this.purge();
    if (this.opts.retentionDays > 0 && !this.timer) {
      this.timer = setInterval(() => void this.purge(), PURGE_EVERY_MS);
      this.timer.unref();
    }
  }

  /** Removes biometric data older than the retention period from every store; null when off. */
  async purge(): Promise<PurgeReport | null> {
    if (this.opts.retentionDays <= 0) return null;
    const cutoff = this.clock() - this.opts.retentionDays * DAY_MS;
    const report: PurgeReport = { cutoff, database: { samples: 0 }, traces: null };
    try {
      report.database.samples = await this.opts.store.purgeSamplesBefore(cutoff);
    } catch (err) {
      // A failing store was logged by its guard; the next hourly purge tries again.
      if (!isStoreUnavailable(err)) this.opts.log.error({ err }, 'retention purge failed');
    }
    if (this.opts.traces) {
      try {
        report.traces = await this.opts.traces.purgeBefore(cutoff);
      } catch (err) {
        this.opts.log.error({ err }, 'retention purge of trace files failed');
      }
    }
    if (report.database.samples > 0 || (report.traces?.samples ?? 0) > 0) {
      this.opts.log.info(
        { cutoff, samples: report.database.samples, traces: report.traces },
        'retention purge',
      );
    }
    return report;
  }

  async exportSession(sessionId: string): Promise<object> {
    const rec = await this.opts.store.getSession(sessionId);
    if (!rec) throw new FrissonError('FRISSON_ERR_SESSION_NOT_FOUND');
    await this.opts.sessions.get(sessionId)?.flushSamples(true);
    const { token: _token, state: _state, ...session } = rec;
    return {
      kind: 'session',
      exportedAt: new Date(this.clock()).toISOString(),
      session,
      decisions: await this.opts.store.listDecisions(sessionId),
      samples: await this.opts.store.listSamples(sessionId),
    };
  }

  async eraseSession(sessionId: string): Promise<EraseReport> {
    const rec = await this.opts.store.getSession(sessionId);
    if (!rec) throw new FrissonError('FRISSON_ERR_SESSION_NOT_FOUND');
    // Memory first, so no flush can write what the database erase is about to remove.
    const pending = this.opts.sessions.get(sessionId)?.withdrawConsent() ?? 0;
    await this.opts.store.setSessionConsent(sessionId, false);
    const n = await this.opts.store.eraseSamples(sessionId, ERASE_ALL_SOURCES, this.clock());
    const traces = (await this.opts.traces?.erase(sessionId)) ?? null;
    const report: EraseReport = {
      erased: n,
      where: { database: { samples: n }, memory: { samples: pending }, traces },
    };
    this.opts.log.info({ session: sessionId, ...report.where }, 'viewer samples erased');
    return report;
  }

  async exportSeat(showId: string, seat: string): Promise<object> {
    const show = await this.opts.store.getShow(showId);
    if (!show) throw new FrissonError('FRISSON_ERR_SHOW_NOT_FOUND');
    await this.opts.shows.get(showId)?.flushSamples(true);
    return {
      kind: 'seat',
      exportedAt: new Date(this.clock()).toISOString(),
      show: { id: show.id, title: show.title, storyId: show.storyId, createdAt: show.createdAt },
      seat,
      votes: (await this.opts.store.listVotes(showId)).filter((v) => v.seat === seat),
      samples: await this.opts.store.listSamples(show.screenSessionId, { source: seat }),
    };
  }

  async eraseSeat(showId: string, seat: string): Promise<EraseReport> {
    const show = await this.opts.store.getShow(showId);
    if (!show) throw new FrissonError('FRISSON_ERR_SHOW_NOT_FOUND');
    const pending = this.opts.shows.get(showId)?.forgetSeat(seat) ?? 0;
    const n = await this.opts.store.eraseSamples(show.screenSessionId, seat, this.clock());
    const traces = (await this.opts.traces?.erase(show.screenSessionId, seat)) ?? null;
    const report: EraseReport = {
      erased: n,
      where: { database: { samples: n }, memory: { samples: pending }, traces },
    };
    this.opts.log.info({ show: showId, seat, ...report.where }, 'seat samples erased');
    return report;
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
