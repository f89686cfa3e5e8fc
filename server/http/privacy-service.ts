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
 * In cluster mode (FRISSON_REDIS_URL) the same erase runs on every process (`cluster`, see
 * server/cluster/cluster-privacy.ts): the owner drops its queue, each process erases its archive
 * and trace files, the erasure is recorded in Redis for processes that are down (applied when they
 * start), and the adapter's Redis stream loses every entry that carried the viewer's data. The
 * answer lists each node's part; an export gathers every node's samples.
 *
 * Retention (`FRISSON_RETENTION_DAYS`) purges the database and the trace files alike. Decisions
 * are kept: they hold the aggregate arousal the director saw, not a person's samples.
 */
import type { Logger } from 'pino';
import type {
  ClusterPrivacy,
  LocalPrivacy,
  NodeErase,
  PrivacyTarget,
} from '../cluster/cluster-privacy.js';
import type { SessionManager } from '../session/session-manager.js';
import type { TraceRemoval, TraceService } from '../session/trace-service.js';
import type { ShowManager } from '../show/show-manager.js';
import { ERASE_ALL_SOURCES, type Store, type StoredSample } from '../store/store.js';
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
  /** Cluster mode: the other processes' halves of erase and export. */
  cluster?: ClusterPrivacy | null;
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
    /** Cluster mode: each node's part (the totals above add them up). */
    nodes?: NodeErase[];
    /** Cluster mode: entries removed from the socket.io adapter's Redis stream. */
    redis?: { streamEntries: number };
  };
}

export interface PurgeReport {
  cutoff: number;
  database: { samples: number };
  traces: TraceRemoval | null;
}

export class PrivacyService implements LocalPrivacy {
  private readonly opts: PrivacyServiceOptions;
  private readonly clock: () => number;
  private timer: NodeJS.Timeout | null = null;

  constructor(opts: PrivacyServiceOptions) {
    this.opts = opts;
    this.clock = opts.clock ?? Date.now;
  }

  /** Applies erasures this process missed (cluster), purges at once, then every hour. */
  async start(): Promise<void> {
    await this.applyMissedErasures();
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

  /** Cluster mode: erasures recorded while this process was down, applied to its own files. */
  private async applyMissedErasures(): Promise<void> {
    const cluster = this.opts.cluster;
    if (!cluster) return;
    try {
      const missed = await cluster.pendingErasures();
      for (const t of missed) await this.eraseHere(t);
      if (missed.length > 0)
        this.opts.log.info({ erasures: missed.length }, 'applied missed erasures');
    } catch (err) {
      this.opts.log.error(
        { err: err instanceof Error ? err.message : String(err) },
        "could not apply the cluster's erasures at start",
      );
    }
  }

  /** This process's memory, database and trace files (the local half of an erase). */
  async eraseHere(t: PrivacyTarget): Promise<Omit<NodeErase, 'node'>> {
    const all = t.source === ERASE_ALL_SOURCES;
    // Memory first, so no flush can write what the database erase is about to remove.
    const pending = all
      ? (this.opts.sessions.get(t.sessionId)?.withdrawConsent() ?? 0)
      : t.showId
        ? (this.opts.shows.get(t.showId)?.forgetSeat(t.source) ?? 0)
        : 0;
    const n = await this.opts.store.eraseSamples(t.sessionId, t.source, this.clock());
    const traces = (await this.opts.traces?.erase(t.sessionId, all ? undefined : t.source)) ?? null;
    return { database: { samples: n }, memory: { samples: pending }, traces };
  }

  /** This process's samples of `t` (its queue flushed first). */
  async samplesHere(t: PrivacyTarget): Promise<StoredSample[]> {
    if (t.showId) await this.opts.shows.get(t.showId)?.flushSamples(true);
    else await this.opts.sessions.get(t.sessionId)?.flushSamples(true);
    return this.opts.store.listSamples(
      t.sessionId,
      t.source === ERASE_ALL_SOURCES ? {} : { source: t.source },
    );
  }

  /** Every sample of a session (of a show's screen, `showId` set), here and on every process. */
  allSamples(sessionId: string, showId?: string): Promise<StoredSample[]> {
    return this.samples({ sessionId, source: ERASE_ALL_SOURCES, ...(showId ? { showId } : {}) });
  }

  /** Here and, in cluster mode, on every other process; sorted by time. */
  private async samples(t: PrivacyTarget): Promise<StoredSample[]> {
    const here = await this.samplesHere(t);
    const there = (await this.opts.cluster?.samplesElsewhere(t)) ?? [];
    return there.length === 0 ? here : [...here, ...there].sort((a, b) => a.t - b.t);
  }

  /** Erases `t` here and everywhere else; the report adds the nodes' parts up. */
  private async erase(t: PrivacyTarget, alsoIds: string[] = []): Promise<EraseReport> {
    const here = await this.eraseHere(t);
    const cluster = this.opts.cluster;
    if (!cluster) return { erased: here.database.samples, where: here };
    const nodes = [{ node: cluster.nodeId, ...here }, ...(await cluster.eraseElsewhere(t))];
    const sum = (f: (x: NodeErase) => number): number => nodes.reduce((a, x) => a + f(x), 0);
    const anyTraces = nodes.some((x) => x.traces !== null);
    const streamEntries = await cluster.scrubStreams(t, alsoIds);
    return {
      erased: sum((x) => x.database.samples),
      where: {
        database: { samples: sum((x) => x.database.samples) },
        memory: { samples: sum((x) => x.memory.samples) },
        traces: anyTraces
          ? { files: sum((x) => x.traces?.files ?? 0), samples: sum((x) => x.traces?.samples ?? 0) }
          : null,
        nodes,
        redis: { streamEntries },
      },
    };
  }

  async exportSession(sessionId: string): Promise<object> {
    const rec = await this.opts.store.getSession(sessionId);
    if (!rec) throw new FrissonError('FRISSON_ERR_SESSION_NOT_FOUND');
    const { token: _token, state: _state, ...session } = rec;
    return {
      kind: 'session',
      exportedAt: new Date(this.clock()).toISOString(),
      session,
      decisions: await this.opts.store.listDecisions(sessionId),
      samples: await this.samples({ sessionId, source: ERASE_ALL_SOURCES }),
    };
  }

  async eraseSession(sessionId: string): Promise<EraseReport> {
    const rec = await this.opts.store.getSession(sessionId);
    if (!rec) throw new FrissonError('FRISSON_ERR_SESSION_NOT_FOUND');
    await this.opts.store.setSessionConsent(sessionId, false);
    const report = await this.erase({ sessionId, source: ERASE_ALL_SOURCES });
    this.opts.log.info({ session: sessionId, ...report.where }, 'viewer samples erased');
    return report;
  }

  async exportSeat(showId: string, seat: string): Promise<object> {
    const show = await this.opts.store.getShow(showId);
    if (!show) throw new FrissonError('FRISSON_ERR_SHOW_NOT_FOUND');
    return {
      kind: 'seat',
      exportedAt: new Date(this.clock()).toISOString(),
      show: { id: show.id, title: show.title, storyId: show.storyId, createdAt: show.createdAt },
      seat,
      votes: (await this.opts.store.listVotes(showId)).filter((v) => v.seat === seat),
      samples: await this.samples({ sessionId: show.screenSessionId, source: seat, showId }),
    };
  }

  async eraseSeat(showId: string, seat: string): Promise<EraseReport> {
    const show = await this.opts.store.getShow(showId);
    if (!show) throw new FrissonError('FRISSON_ERR_SHOW_NOT_FOUND');
    const report = await this.erase({ sessionId: show.screenSessionId, source: seat, showId }, [
      showId,
    ]);
    this.opts.log.info({ show: showId, seat, ...report.where }, 'seat samples erased');
    return report;
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
