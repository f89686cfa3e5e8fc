/**
 * Owns every live session of this process and the one publish tick that serves them all: every
 * `tickMs` it asks each due session (published edge within the horizon of its playhead) to decide
 * and publish its next segment. One timer for all sessions keeps per-session cost flat and lets
 * the director batch decisions (venues).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { PackagedStory } from '../../contracts/story.js';
import type { StoryPosition } from '../../media/playlist/story-cursor.js';
import type { ViewerSignal } from '../../contracts/heart.js';
import { FrissonError } from '../../contracts/errors.js';
import type { SessionRecord, Store, StoredSample } from '../store/store.js';
import { tokenMatches } from '../store/token-hash.js';
import type { SessionDirector } from './deadline-director.js';
import { Session, type SessionHooks } from './session.js';
import { ViewerState } from './viewer-state.js';

/** Unsaved samples of every session are written together this often (one store write). */
const SAMPLE_BATCH_MS = 250;

/**
 * How session tokens are issued and checked (server/auth: HMAC-signed, expiring, scoped). Without
 * one, tokens are random strings compared in constant time (the foundation's scheme).
 */
export interface SessionTokenScheme {
  issue(sessionId: string): string;
  /** Throws a coded FrissonError unless `token` grants `sessionId`. */
  verify(sessionId: string, token: string): void;
}

export interface SessionManagerOptions {
  story: PackagedStory;
  tokens?: SessionTokenScheme;
  store: Store;
  log: Logger;
  horizonSeconds: number;
  /** Cap of a session's stall-widened horizon, seconds (default `horizonSeconds`: never widened). */
  maxHorizonSeconds?: number;
  blockingReload?: boolean;
  createDirector: (record: SessionRecord) => SessionDirector;
  createSignal: () => ViewerSignal;
  tickMs?: number;
  /**
   * Ended sessions stay in memory this long (players finish the last segments, reports read the
   * decision log from the store afterwards); then they are dropped so memory does not grow with
   * every session ever played. Default 60 s.
   */
  endedGraceMs?: number;
  /**
   * A home session nobody has been heard from for this long (no playlist request, sample, playhead
   * or input) ends as `expired`: its playlist gets ENDLIST, the store records the end, so it is
   * not resumed after a restart. A session whose last decision is older than this is not resumed
   * either (the process was down while it idled). 0 = never. Show screens end with their show.
   */
  idleTimeoutMs?: number;
  /** Told when a session dropped unsaved samples after a long store failure (metrics). */
  onSamplesDropped?: (n: number) => void;
  clock?: () => number;
}

export interface SessionManagerEvents {
  created: [session: Session];
  /** An ended session left memory (its records stay in the store). */
  removed: [sessionId: string];
}

export class SessionManager extends EventEmitter<SessionManagerEvents> {
  private readonly sessions = new Map<string, Session>();
  /** Media playlist segment lines, formatted once for every session of the story. */
  private readonly playlistLines = new Map<string, string>();
  private readonly opts: SessionManagerOptions;
  private readonly clock: () => number;
  private timer: NodeJS.Timeout | null = null;

  constructor(opts: SessionManagerOptions) {
    super();
    this.opts = opts;
    this.clock = opts.clock ?? Date.now;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.tick(), this.opts.tickMs ?? 50);
  }

  get size(): number {
    return this.sessions.size;
  }

  list(): Session[] {
    return [...this.sessions.values()];
  }

  async create(opts: {
    maxIntensity?: number;
    consent?: boolean;
    autoAdvance?: boolean;
    kind?: SessionRecord['kind'];
    hooks?: SessionHooks;
  }): Promise<Session> {
    const id = randomUUID();
    const record: SessionRecord = {
      id,
      token: this.opts.tokens?.issue(id) ?? randomBytes(24).toString('base64url'),
      storyId: this.opts.story.id,
      kind: opts.kind ?? 'home',
      createdAt: this.clock(),
      maxIntensity: opts.maxIntensity ?? this.opts.story.defaultMaxIntensity,
      consent: opts.consent ?? false,
      endedAt: null,
      state: null,
    };
    await this.opts.store.createSession(record);
    const session = this.instantiate(record, opts.autoAdvance ?? false, undefined, opts.hooks);
    // Listeners (hub relays, narration) attach before the first segment is published.
    this.emit('created', session);
    // Publish the first segments at once so the player has something to load.
    while (session.isDue(this.clock())) {
      const before = session.segments().length;
      await session.publishNext();
      if (session.segments().length === before) break;
    }
    return session;
  }

  /** Resumes every unfinished session from the store (after a restart). */
  async resumeAll(): Promise<number> {
    const records = await this.opts.store.listSessions({ activeOnly: true });
    let n = 0;
    for (const rec of records) {
      if (rec.storyId !== this.opts.story.id || this.sessions.has(rec.id)) continue;
      if (await this.restore(rec)) n++;
    }
    return n;
  }

  /**
   * Resumes one unfinished session from the store into this process (cluster mode: a hub adopts a
   * session whose process is gone, see server/cluster). Emits `created` so the hub relays it.
   */
  async resume(id: string): Promise<Session | undefined> {
    const local = this.sessions.get(id);
    if (local) return local;
    const rec = await this.opts.store.getSession(id);
    if (!rec || rec.endedAt !== null || rec.storyId !== this.opts.story.id) return undefined;
    const session = this.sessions.get(id) ?? (await this.restore(rec));
    if (session) this.emit('created', session);
    return session;
  }

  private async restore(rec: SessionRecord): Promise<Session | undefined> {
    const decisions = await this.opts.store.listDecisions(rec.id);
    const position = rec.state ? (JSON.parse(rec.state) as StoryPosition) : undefined;
    if (!position || decisions.length === 0 || this.sessions.has(rec.id)) return undefined;
    const idle = this.opts.idleTimeoutMs ?? 0;
    const lastAt = decisions.reduce((a, d) => Math.max(a, d.at), rec.createdAt);
    if (idle > 0 && rec.kind === 'home' && this.clock() - lastAt > idle) {
      // A watched session publishes a segment every few seconds: no decision for the idle period
      // means nobody was watching (an unwatched one may publish on, so this never expires early).
      await this.opts.store.endSession(rec.id, this.clock());
      this.opts.log.info({ session: rec.id }, 'session expired while the server was down');
      return undefined;
    }
    const segments = decisions.map((d) => ({
      msn: d.msn,
      uri: d.uri,
      duration: d.duration,
      discontinuity: d.discontinuity,
      title: `${d.scene}/${d.level}`,
    }));
    // The store keeps only the token's hash: URLs this server writes for the session (narration)
    // get a freshly signed token instead (an opaque legacy token cannot be rebuilt).
    const linkToken = this.opts.tokens?.issue(rec.id);
    return this.instantiate(
      rec,
      false,
      { position, segments, ended: position.ending !== null },
      undefined,
      linkToken,
    );
  }

  get(id: string): Session | undefined {
    return this.sessions.get(id);
  }

  /** Returns the session if `token` is its token; throws a coded error otherwise. */
  authorize(id: string, token: string): Session {
    const s = this.sessions.get(id);
    if (!s) throw new FrissonError('FRISSON_ERR_SESSION_NOT_FOUND');
    // Signed tokens (they contain a dot) go to the scheme; opaque ones from older records do not.
    if (this.opts.tokens && token.includes('.')) {
      this.opts.tokens.verify(id, token);
      return s;
    }
    if (!tokenMatches(s.record.token, token)) throw new FrissonError('FRISSON_ERR_UNAUTHORIZED');
    return s;
  }

  tick(): void {
    const now = this.clock();
    const grace = this.opts.endedGraceMs ?? 60_000;
    const idle = this.opts.idleTimeoutMs ?? 0;
    for (const s of this.sessions.values()) {
      if (idle > 0 && !s.ended && s.record.kind === 'home' && now - s.lastActiveAt > idle) {
        this.opts.log.info({ session: s.id, idleS: Math.round(idle / 1000) }, 'session expired');
        s.endNow('expired');
      }
      if (s.isDue(now)) void s.publishNext();
      else s.heartbeatState(now);
      const endedAt = this.endedAt.get(s.id);
      if (endedAt !== undefined && now - endedAt > grace) this.remove(s);
    }
    if (now - this.samplesFlushedAt >= SAMPLE_BATCH_MS) {
      this.samplesFlushedAt = now;
      this.flushAllSamples(now);
    }
  }

  private samplesFlushedAt = 0;

  /**
   * Every session's unsaved samples in **one** store write (one SQLite transaction) instead of one
   * per session per tick: at 1 Hz per home viewer that was one transaction per sample, ≈ 4 % of a
   * loaded hub's CPU (docs/operations.md). If the batch fails, each session writes its own samples
   * as before, so one session's fault (its own retry, logging and bounded queue) never holds the
   * others' samples. (Removed sessions flushed their own on destroy.)
   */
  private flushAllSamples(now: number): void {
    const taken: Array<[Session, StoredSample[]]> = [];
    for (const s of this.sessions.values()) {
      const batch = s.takeSamples(now);
      if (batch) taken.push([s, batch]);
    }
    if (taken.length === 0) return;
    // (A synchronous throw becomes a rejection: the tick itself never throws.)
    void Promise.resolve()
      .then(() => this.opts.store.appendSamples(taken.flatMap(([, batch]) => batch)))
      .then(
        () => {
          for (const [s] of taken) s.samplesStored();
        },
        () => {
          for (const [s, batch] of taken) {
            s.returnSamples(batch);
            void s.flushSamples();
          }
        },
      );
  }

  private readonly endedAt = new Map<string, number>();

  private remove(s: Session): void {
    this.sessions.delete(s.id);
    this.endedAt.delete(s.id);
    void s.destroy();
    this.emit('removed', s.id);
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await Promise.all([...this.sessions.values()].map((s) => s.destroy()));
    this.sessions.clear();
  }

  private instantiate(
    record: SessionRecord,
    autoAdvance: boolean,
    restored?: ConstructorParameters<typeof Session>[0]['restored'],
    hooks?: SessionHooks,
    linkToken?: string,
  ): Session {
    const session = new Session({
      record,
      ...(hooks ? { hooks } : {}),
      story: this.opts.story,
      store: this.opts.store,
      director: this.opts.createDirector(record),
      viewer: new ViewerState(this.opts.createSignal()),
      log: this.opts.log.child({ session: record.id }),
      horizonSeconds: this.opts.horizonSeconds,
      ...(this.opts.maxHorizonSeconds !== undefined
        ? { maxHorizonSeconds: this.opts.maxHorizonSeconds }
        : {}),
      blockingReload: this.opts.blockingReload ?? true,
      autoAdvance,
      playlistLines: this.playlistLines,
      clock: this.clock,
      ...(restored ? { restored } : {}),
      ...(linkToken !== undefined ? { linkToken } : {}),
      ...(this.opts.onSamplesDropped ? { onSamplesDropped: this.opts.onSamplesDropped } : {}),
    });
    session.once('ended', () => this.endedAt.set(record.id, this.clock()));
    session.on('error', () => {
      /* logged by the session; a bad session never takes the process down */
    });
    this.sessions.set(record.id, session);
    return session;
  }
}
