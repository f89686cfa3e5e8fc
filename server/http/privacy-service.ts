/**
 * Biometric data rights: per-viewer export (JSON) and erase, and the retention purge.
 *
 * A "viewer" is a home session, or one seat of a show (samples of the show's screen session whose
 * source is that seat). Erase removes every stored sample of that viewer, drops samples not yet
 * flushed, and withdraws consent so nothing of them is stored afterwards. Decisions are kept: they
 * hold the aggregate arousal the director saw, not a person's samples.
 */
import type { Logger } from 'pino';
import type { SessionManager } from '../session/session-manager.js';
import type { ShowManager } from '../show/show-manager.js';
import type { Store } from '../store/store.js';
import { FrissonError } from '../../contracts/errors.js';

const DAY_MS = 86_400_000;
const PURGE_EVERY_MS = 3_600_000;

export interface PrivacyServiceOptions {
  store: Store;
  sessions: SessionManager;
  shows: ShowManager;
  log: Logger;
  /** Days of biometric data kept (0 = keep forever). */
  retentionDays: number;
  clock?: () => number;
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

  async purge(): Promise<number> {
    if (this.opts.retentionDays <= 0) return 0;
    const cutoff = this.clock() - this.opts.retentionDays * DAY_MS;
    try {
      const n = await this.opts.store.purgeSamplesBefore(cutoff);
      if (n > 0) this.opts.log.info({ purged: n, cutoff }, 'retention purge');
      return n;
    } catch (err) {
      this.opts.log.error({ err }, 'retention purge failed');
      return 0;
    }
  }

  async exportSession(sessionId: string): Promise<object> {
    const rec = await this.opts.store.getSession(sessionId);
    if (!rec) throw new FrissonError('FRISSON_ERR_SESSION_NOT_FOUND');
    await this.opts.sessions.get(sessionId)?.flushSamples();
    const { token: _token, state: _state, ...session } = rec;
    return {
      kind: 'session',
      exportedAt: new Date(this.clock()).toISOString(),
      session,
      decisions: await this.opts.store.listDecisions(sessionId),
      samples: await this.opts.store.listSamples(sessionId),
    };
  }

  async eraseSession(sessionId: string): Promise<number> {
    const rec = await this.opts.store.getSession(sessionId);
    if (!rec) throw new FrissonError('FRISSON_ERR_SESSION_NOT_FOUND');
    this.opts.sessions.get(sessionId)?.withdrawConsent();
    await this.opts.store.setSessionConsent(sessionId, false);
    const n = await this.opts.store.deleteSamples(sessionId);
    this.opts.log.info({ session: sessionId, erased: n }, 'viewer samples erased');
    return n;
  }

  async exportSeat(showId: string, seat: string): Promise<object> {
    const show = await this.opts.store.getShow(showId);
    if (!show) throw new FrissonError('FRISSON_ERR_SHOW_NOT_FOUND');
    await this.opts.shows.get(showId)?.flushSamples();
    return {
      kind: 'seat',
      exportedAt: new Date(this.clock()).toISOString(),
      show: { id: show.id, title: show.title, storyId: show.storyId, createdAt: show.createdAt },
      seat,
      votes: (await this.opts.store.listVotes(showId)).filter((v) => v.seat === seat),
      samples: await this.opts.store.listSamples(show.screenSessionId, { source: seat }),
    };
  }

  async eraseSeat(showId: string, seat: string): Promise<number> {
    const show = await this.opts.store.getShow(showId);
    if (!show) throw new FrissonError('FRISSON_ERR_SHOW_NOT_FOUND');
    this.opts.shows.get(showId)?.forgetSeat(seat);
    const n = await this.opts.store.deleteSamples(show.screenSessionId, { source: seat });
    this.opts.log.info({ show: showId, seat, erased: n }, 'seat samples erased');
    return n;
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
