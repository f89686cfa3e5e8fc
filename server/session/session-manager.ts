/**
 * Owns every live session of this process and the one publish tick that serves them all: every
 * `tickMs` it asks each due session (published edge within the horizon of its playhead) to decide
 * and publish its next segment. One timer for all sessions keeps per-session cost flat and lets
 * the director batch decisions (venues).
 */
import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { PackagedStory } from '../../media/story/manifest.js';
import type { StoryPosition } from '../../media/playlist/story-cursor.js';
import type { ViewerSignal } from '../../sensors/signal/signal-types.js';
import { FrissonError } from '../errors.js';
import type { SessionRecord, Store } from '../store/store.js';
import type { SessionDirector } from './deadline-director.js';
import { Session } from './session.js';
import { ViewerState } from './viewer-state.js';

export interface SessionManagerOptions {
  story: PackagedStory;
  store: Store;
  log: Logger;
  horizonSeconds: number;
  createDirector: (record: SessionRecord) => SessionDirector;
  createSignal: () => ViewerSignal;
  tickMs?: number;
  clock?: () => number;
}

export interface SessionManagerEvents {
  created: [session: Session];
}

export class SessionManager extends EventEmitter<SessionManagerEvents> {
  private readonly sessions = new Map<string, Session>();
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
  }): Promise<Session> {
    const record: SessionRecord = {
      id: randomUUID(),
      token: randomBytes(24).toString('base64url'),
      storyId: this.opts.story.id,
      kind: 'home',
      createdAt: this.clock(),
      maxIntensity: opts.maxIntensity ?? this.opts.story.defaultMaxIntensity,
      consent: opts.consent ?? false,
      endedAt: null,
      state: null,
    };
    await this.opts.store.createSession(record);
    const session = this.instantiate(record, opts.autoAdvance ?? false);
    // Publish the first segments at once so the player has something to load.
    while (session.isDue(this.clock())) {
      const before = session.segments().length;
      await session.publishNext();
      if (session.segments().length === before) break;
    }
    this.emit('created', session);
    return session;
  }

  /** Resumes every unfinished session from the store (after a restart). */
  async resumeAll(): Promise<number> {
    const records = await this.opts.store.listSessions({ activeOnly: true });
    let n = 0;
    for (const rec of records) {
      if (rec.storyId !== this.opts.story.id || this.sessions.has(rec.id)) continue;
      const decisions = await this.opts.store.listDecisions(rec.id);
      const position = rec.state ? (JSON.parse(rec.state) as StoryPosition) : undefined;
      if (!position || decisions.length === 0) continue;
      const segments = decisions.map((d) => ({
        msn: d.msn,
        uri: d.uri,
        duration: d.duration,
        discontinuity: d.discontinuity,
        title: `${d.scene}/${d.level}`,
      }));
      this.instantiate(rec, false, { position, segments, ended: position.ending !== null });
      n++;
    }
    return n;
  }

  get(id: string): Session | undefined {
    return this.sessions.get(id);
  }

  /** Returns the session if `token` is its token; throws a coded error otherwise. */
  authorize(id: string, token: string): Session {
    const s = this.sessions.get(id);
    if (!s) throw new FrissonError('FRISSON_ERR_SESSION_NOT_FOUND');
    const a = Buffer.from(s.record.token);
    const b = Buffer.from(token);
    if (a.length !== b.length || !timingSafeEqual(a, b)) {
      throw new FrissonError('FRISSON_ERR_UNAUTHORIZED');
    }
    return s;
  }

  tick(): void {
    const now = this.clock();
    for (const s of this.sessions.values()) {
      if (s.isDue(now)) void s.publishNext();
      void s.flushSamples();
    }
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
  ): Session {
    const session = new Session({
      record,
      story: this.opts.story,
      store: this.opts.store,
      director: this.opts.createDirector(record),
      viewer: new ViewerState(this.opts.createSignal(), this.clock()),
      log: this.opts.log.child({ session: record.id }),
      horizonSeconds: this.opts.horizonSeconds,
      autoAdvance,
      clock: this.clock,
      ...(restored ? { restored } : {}),
    });
    session.on('error', () => {
      /* logged by the session; a bad session never takes the process down */
    });
    this.sessions.set(record.id, session);
    return session;
  }
}
