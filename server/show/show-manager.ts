/**
 * Owns every venue show of this process: creates a show (a screen session of kind 'show' whose
 * director input is the audience aggregate), issues its join tokens, routes seat samples and votes
 * to it, and runs one audience tick for all shows (aggregate → dashboard and vote deadlines).
 */
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { PackagedStory } from '../../contracts/story.js';
import type { ViewerSignal } from '../../contracts/heart.js';
import type { ScreenGrants } from '../auth/screen-grants.js';
import type { JoinTokens } from '../auth/join-token.js';
import { FrissonError } from '../../contracts/errors.js';
import type { SeatSample, VoteState } from '../../contracts/wire.js';
import type { SessionManager } from '../session/session-manager.js';
import type { ShowRecord, Store } from '../store/store.js';
import { Show } from './show.js';

export interface ShowManagerOptions {
  story: PackagedStory;
  store: Store;
  sessions: SessionManager;
  tokens: JoinTokens;
  log: Logger;
  createSignal: () => ViewerSignal;
  /** Audience tick, ms (dashboard refresh and vote deadlines). */
  tickMs?: number;
  /** Where each show's screen session is recorded for token checks (server/auth/screen-grants.ts). */
  grants?: ScreenGrants;
  clock?: () => number;
}

export interface CreateShowInput {
  title?: string;
  seats?: string[];
  maxIntensity?: number;
  consent?: boolean;
  voteSeconds?: number;
  /** Advance the screen on the wall clock before its player reports (headless shows, tests). */
  autoAdvance?: boolean;
}

export interface CreatedShow {
  show: Show;
  /** Show-scoped token: the screen, the sensor agent. */
  showToken: string;
  seatTokens: Array<{ seat: string; token: string }>;
}

export interface ShowManagerEvents {
  created: [show: Show];
}

export class ShowManager extends EventEmitter<ShowManagerEvents> {
  private readonly shows = new Map<string, Show>();
  /** Single-show adoptions in flight (cluster mode), so concurrent requests adopt once. */
  private readonly resuming = new Map<string, Promise<Show | undefined>>();
  private readonly opts: ShowManagerOptions;
  private readonly clock: () => number;
  private timer: NodeJS.Timeout | null = null;

  constructor(opts: ShowManagerOptions) {
    super();
    this.opts = opts;
    this.clock = opts.clock ?? Date.now;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.tick(), this.opts.tickMs ?? 500);
  }

  get size(): number {
    return this.shows.size;
  }

  list(): Show[] {
    return [...this.shows.values()];
  }

  get(id: string): Show | undefined {
    return this.shows.get(id);
  }

  /** The show or FRISSON_ERR_SHOW_NOT_FOUND. */
  require(id: string): Show {
    const s = this.shows.get(id);
    if (!s) throw new FrissonError('FRISSON_ERR_SHOW_NOT_FOUND');
    return s;
  }

  /** Screen session id of a show (for TokenAccess). */
  screenSessionOf(showId: string): string | undefined {
    return this.shows.get(showId)?.screenSession?.id;
  }

  async create(input: CreateShowInput): Promise<CreatedShow> {
    const id = randomUUID();
    const now = this.clock();
    const seats = [...new Set(input.seats ?? [])];
    const record = {
      id,
      screenSessionId: '',
      storyId: this.opts.story.id,
      title: input.title ?? this.opts.story.title,
      createdAt: now,
      endedAt: null,
      consent: input.consent ?? false,
    };
    const show = this.instantiate(record, input.voteSeconds);
    const screen = await this.opts.sessions.create({
      kind: 'show',
      consent: record.consent,
      autoAdvance: input.autoAdvance ?? false,
      hooks: show.hooks,
      ...(input.maxIntensity !== undefined ? { maxIntensity: input.maxIntensity } : {}),
    });
    record.screenSessionId = screen.id;
    await this.opts.store.createShow(record);
    show.attach(screen);
    this.opts.grants?.grant(show.id, screen.id);
    show.addSeats(seats);
    await this.opts.store.addSeats(id, seats, now);
    this.opts.log.info({ show: id, session: screen.id, seats: seats.length }, 'show created');
    this.emit('created', show);
    return {
      show,
      showToken: this.opts.tokens.sign({ scope: 'show', id }),
      seatTokens: seats.map((seat) => ({
        seat,
        token: this.opts.tokens.sign({ scope: 'seat', id: seat, show: id, seat }),
      })),
    };
  }

  /**
   * Re-creates every unfinished show whose screen session the SessionManager resumed (after a
   * restart): hooks re-attached, seats re-registered. Tokens stay valid (stateless, same secret).
   */
  async resumeAll(): Promise<number> {
    let n = 0;
    for (const record of await this.opts.store.listShows()) {
      if (record.endedAt !== null || this.shows.has(record.id)) continue;
      if (record.storyId !== this.opts.story.id) continue;
      const screen = this.opts.sessions.get(record.screenSessionId);
      if (!screen || screen.ended) continue;
      const show = this.instantiate(record);
      screen.attachHooks(show.hooks);
      show.attach(screen);
      this.opts.grants?.grant(show.id, screen.id);
      show.addSeats(await this.opts.store.listSeats(record.id));
      await this.restoreErasures(show);
      n++;
    }
    return n;
  }

  /**
   * Adopts one unfinished show from the store into this process (cluster mode: its process is
   * gone, see server/cluster/show-locator.ts): its screen session is resumed (same decisions, same
   * media sequence, same story position) with the show's hooks attached before its next publish,
   * seats re-registered, and `created` emitted so the namespaces relay its events. Operator state
   * that lived only in memory (a forced scene not yet played, an open vote window's ballots, the
   * dashboard history) starts afresh; `paused` is not persisted either.
   */
  resume(id: string): Promise<Show | undefined> {
    const local = this.shows.get(id);
    if (local) return Promise.resolve(local);
    let p = this.resuming.get(id);
    if (!p) {
      p = this.adopt(id).finally(() => this.resuming.delete(id));
      this.resuming.set(id, p);
    }
    return p;
  }

  /** The id of the unfinished show whose screen session is `sessionId`, from the store. */
  async showOfScreen(sessionId: string): Promise<string | undefined> {
    for (const s of this.shows.values()) if (s.record.screenSessionId === sessionId) return s.id;
    const rec = (await this.opts.store.listShows()).find(
      (r) => r.screenSessionId === sessionId && r.endedAt === null,
    );
    return rec?.id;
  }

  private async adopt(id: string): Promise<Show | undefined> {
    const record = await this.opts.store.getShow(id);
    if (!record || record.endedAt !== null || record.storyId !== this.opts.story.id) return;
    const seats = await this.opts.store.listSeats(id);
    // No await between the screen's resume and attaching the hooks: the session manager's tick
    // (a timer) cannot publish a segment of the screen without the show in between.
    const screen = await this.opts.sessions.resume(record.screenSessionId);
    if (!screen || screen.ended) return;
    const existing = this.shows.get(id);
    if (existing) return existing;
    const show = this.instantiate(record);
    screen.attachHooks(show.hooks);
    show.attach(screen);
    this.opts.grants?.grant(show.id, screen.id);
    show.addSeats(seats);
    await this.restoreErasures(show);
    this.opts.log.info({ show: id, session: screen.id }, 'show adopted from the store');
    this.emit('created', show);
    return show;
  }

  /** Seats erased before a restart stay erased: their samples are not even queued again. */
  private async restoreErasures(show: Show): Promise<void> {
    for (const seat of await this.opts.store.listErasures(show.record.screenSessionId)) {
      show.forgetSeat(seat);
    }
  }

  /** Issues a token for one seat (e.g. a seat that joined after the show was created). */
  seatToken(showId: string, seat: string): string {
    this.require(showId);
    return this.opts.tokens.sign({ scope: 'seat', id: seat, show: showId, seat });
  }

  ingest(showId: string, samples: readonly SeatSample[]): { accepted: number; rejected: number } {
    return this.require(showId).ingest(samples, this.clock());
  }

  castVote(showId: string, seat: string, option: string): VoteState {
    return this.require(showId).castVote(seat, option, this.clock());
  }

  private instantiate(record: ShowRecord, voteSeconds?: number): Show {
    const show = new Show({
      record,
      story: this.opts.story,
      store: this.opts.store,
      log: this.opts.log.child({ show: record.id }),
      createSignal: this.opts.createSignal,
      ...(voteSeconds !== undefined ? { voteSeconds } : {}),
      clock: this.clock,
    });
    show.on('error', () => {
      /* logged by the show */
    });
    this.shows.set(record.id, show);
    return show;
  }

  tick(): void {
    const now = this.clock();
    for (const s of this.shows.values()) s.tick(now);
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await Promise.all([...this.shows.values()].map((s) => s.destroy()));
    this.shows.clear();
  }
}
