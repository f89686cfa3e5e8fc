/**
 * One viewer's (home) session: the seam where viewer state meets the director and the playlist.
 *
 * Consumes: samples, inputs and playhead reports (already validated by the hub).
 * Emits: `published` (a decision became a playlist segment), `state` (HUD update), `ended`.
 * Owns: its ViewerState, StoryCursor, LivePlaylist and decision log; persists decisions (append
 * only) and its cursor so a restarted server resumes where it was.
 *
 * Write-ahead: a decision is stored (with the story position after it) before its segment enters
 * the playlist or any event, so every msn a player ever saw comes back the same after a crash.
 * When the store refuses the write (`FRISSON_ERR_STORE_UNAVAILABLE`: disk full, I/O error) nothing
 * is published; the session retries once a second and blocking playlist requests are answered 503
 * (see `storeFailing`). The store guard logs the fault once; the session stays quiet about it.
 */
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { Candidate, PickContext, ViewerFeatures } from '../../contracts/director.js';
import { LivePlaylist, type PlaylistSegment } from '../../media/playlist/live-playlist.js';
import { StoryCursor, type StoryPosition } from '../../media/playlist/story-cursor.js';
import type { PackagedStory } from '../../contracts/story.js';
import { targetAt } from '../../models/features/target-curve.js';
import type { HeartSample, PushResult, SignalSnapshot } from '../../contracts/heart.js';
import { FrissonError } from '../../contracts/errors.js';
import type { DecisionEvent, StateUpdate } from '../../contracts/wire.js';
import { isStoreUnavailable } from '../store/guarded-store.js';
import type { DecisionRecord, SessionRecord, Store, StoredSample } from '../store/store.js';
import type { SessionDirector } from './deadline-director.js';
import { decisionWhyParts } from './decision-why.js';
import { formatWhy } from '../../contracts/decision-why.js';
import type { ViewerState, InputKind } from './viewer-state.js';
import { AdaptiveHorizon } from './adaptive-horizon.js';

export interface SessionEvents {
  published: [segment: PlaylistSegment, decision: DecisionEvent];
  state: [update: StateUpdate];
  ended: [ending: string];
  error: [err: Error];
  /** An accepted sample, emitted only when the viewer consented to storing biometrics. */
  sample: [sample: HeartSample];
}

/**
 * Optional seams for a venue show (server/show): the audience aggregate replaces the single
 * viewer's features, an override narrows the candidates (audience vote, operator's forced scene),
 * and `held` stops publishing (show paused). A home session has none of them.
 */
export interface SessionHooks {
  features?(now: number): ViewerFeatures;
  /** Replace the candidates at this boundary; the director still picks among them. */
  override?(ctx: PickContext): { candidates: Candidate[]; reason: string } | undefined;
  held?(now: number): boolean;
  /** With `features`: seconds of data the audience's estimate still needs (its calibration). */
  calibrationRemainingS?(): number;
}

export interface SessionOptions {
  record: SessionRecord;
  hooks?: SessionHooks;
  story: PackagedStory;
  store: Store;
  director: SessionDirector;
  viewer: ViewerState;
  log: Logger;
  /**
   * Seconds of media to keep published ahead of the playhead while the player plays smoothly; each
   * stall it reports widens this session's horizon (adaptive-horizon.ts) up to `maxHorizonSeconds`.
   */
  horizonSeconds: number;
  /** Cap of the stall-widened horizon, seconds (default: `horizonSeconds`, i.e. never widened). */
  maxHorizonSeconds?: number;
  /** Advertise blocking playlist reload (default true). */
  blockingReload?: boolean;
  /** Advance the playhead on the wall clock even before a player reports (simulated viewers). */
  autoAdvance?: boolean;
  /**
   * Rendered segment lines shared by every session of the story (LivePlaylist.renderIncremental);
   * default a map of this session's own.
   */
  playlistLines?: Map<string, string>;
  clock?: () => number;
  /** Restored state after a restart. */
  restored?: { position: StoryPosition; segments: PlaylistSegment[]; ended: boolean };
  /**
   * A token for this session the server may put in URLs it writes (narration segment URIs).
   * Default `record.token`; a resumed session's record holds only the token's hash, so the session
   * manager issues a fresh one.
   */
  linkToken?: string;
  /** Told how many unsaved samples were dropped because the store failed for too long (metrics). */
  onSamplesDropped?: (n: number) => void;
}

interface PlayheadReport {
  position: number;
  at: number;
  paused: boolean;
}

const SAMPLE_FLUSH_MAX = 256;
/**
 * Unsaved samples kept while the store fails (≈ 80 min of a 4 Hz strap); beyond it the oldest are
 * dropped and counted, so a full disk cannot grow memory without bound.
 */
const PENDING_SAMPLES_MAX = 20_000;
/** Wait between attempts while the store refuses writes (ms). */
const STORE_RETRY_MS = 1000;

export class Session extends EventEmitter<SessionEvents> {
  readonly id: string;
  readonly record: SessionRecord;
  readonly story: PackagedStory;
  /** EXT-X-TARGETDURATION of this session's playlists, seconds. */
  readonly targetDuration: number;
  private readonly store: Store;
  private readonly director: SessionDirector;
  private readonly viewer: ViewerState;
  private readonly log: Logger;
  private readonly horizon: AdaptiveHorizon;
  private readonly clock: () => number;
  /** Replaced, not advanced in place: a step is committed only once its decision is stored. */
  private cursor: StoryCursor;
  private readonly playlist: LivePlaylist;
  private readonly storyLength: number;
  private playhead: PlayheadReport | null = null;
  private clockStart: number | null;
  private deciding = false;
  private pendingSamples: StoredSample[] = [];
  private stalls = 0;
  private destroyed = false;
  /** While the store refuses writes: no publish or flush attempt before this time (ms). */
  private publishRetryAt = 0;
  private flushRetryAt = 0;
  /** A flush failed and nothing was written since: logged once per episode, not per retry. */
  private flushFailing = false;
  private failing = false;
  /** A token the server may embed in URLs for this session (see SessionOptions.linkToken). */
  readonly linkToken: string;
  private readonly onSamplesDropped: ((n: number) => void) | undefined;
  /** Pending `waitForSegment` calls, answered `false` at once when the session is destroyed. */
  private readonly segmentWaiters = new Set<(ok: boolean) => void>();
  private hooks: SessionHooks;
  private readonly playlistLines: Map<string, string>;
  /** Start (media s) and intensity of every published segment: what the screen shows when. */
  private readonly shownStart: number[] = [];
  private readonly shownIntensity: number[] = [];

  constructor(opts: SessionOptions) {
    super();
    this.id = opts.record.id;
    this.record = opts.record;
    this.story = opts.story;
    this.store = opts.store;
    this.director = opts.director;
    this.viewer = opts.viewer;
    this.log = opts.log;
    this.horizon = new AdaptiveHorizon({
      baseS: opts.horizonSeconds,
      maxS: opts.maxHorizonSeconds ?? opts.horizonSeconds,
    });
    this.clock = opts.clock ?? Date.now;
    this.hooks = opts.hooks ?? {};
    this.playlistLines = opts.playlistLines ?? new Map<string, string>();
    this.linkToken = opts.linkToken ?? opts.record.token;
    this.onSamplesDropped = opts.onSamplesDropped;
    this.clockStart = opts.autoAdvance ? this.clock() : null;
    this.lastActiveAt = this.clock();
    this.cursor = new StoryCursor(opts.story, opts.restored?.position);
    // Fixed for the whole presentation and ≥ every rounded EXTINF the story can publish
    // (RFC 8216 §4.3.3.1, §6.2.1); the narration subtitle playlist uses the same value.
    this.targetDuration = Math.max(
      1,
      ...Object.values(opts.story.scenes).flatMap((s) =>
        Object.values(s.variants).flatMap((v) => v.segments.map((g) => Math.round(g.duration))),
      ),
    );
    const plOpts = {
      targetDuration: this.targetDuration,
      windowSize: 0,
      canBlockReload: opts.blockingReload ?? true,
    };
    this.playlist = opts.restored
      ? LivePlaylist.restore(plOpts, opts.restored.segments, opts.restored.ended)
      : new LivePlaylist(plOpts);
    this.storyLength = Math.max(
      1,
      opts.story.targetCurve[opts.story.targetCurve.length - 1]?.t ?? 1,
    );
    let start = 0;
    for (const seg of this.playlist.list()) {
      this.recordShown(start, seg);
      start += seg.duration;
    }
  }

  private recordShown(start: number, seg: Pick<PlaylistSegment, 'title'>): void {
    const level = seg.title.slice(seg.title.lastIndexOf('/') + 1);
    this.shownStart.push(start);
    this.shownIntensity.push(this.cursor.intensityOf(level));
  }

  /** Intensity of the segment at media time `position` (0 before the first). */
  private intensityAt(position: number): number {
    let lo = 0;
    let hi = this.shownStart.length - 1;
    if (hi < 0 || position < (this.shownStart[0] ?? 0)) return 0;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.shownStart[mid] ?? 0) <= position) lo = mid;
      else hi = mid - 1;
    }
    return this.shownIntensity[lo] ?? 0;
  }

  /**
   * Intensity on screen now (at the playhead estimate; 0 before anything): what the estimators
   * are told the viewer sees, and what a simulated audience reacts to.
   */
  intensityOnScreen(now: number): number {
    return this.intensityAt(this.playheadEstimate(now));
  }

  /** Tells the viewer state what the screen shows now (the estimator's known input). */
  private updateShowing(now: number): void {
    this.viewer.showing(now, this.intensityOnScreen(now));
  }

  get ended(): boolean {
    return this.playlist.isEnded;
  }

  /** Re-attaches a show's hooks to its screen session resumed after a restart. */
  attachHooks(hooks: SessionHooks): void {
    this.hooks = hooks;
  }

  /** Story position (scene, variables, path) — read by a show to open vote windows. */
  storyPosition(): StoryPosition {
    return this.cursor.position;
  }

  /** What the director may pick from at the next boundary (for the operator's dashboard). */
  upcomingCandidates(): Candidate[] {
    return this.cursor.candidates(this.record.maxIntensity);
  }

  /** Ends the stream now (a show's operator ends the show): ENDLIST is published. */
  endNow(ending = 'stopped'): void {
    if (!this.ended) this.finish(ending);
  }

  /**
   * Privacy erase: consent withdrawn, unsaved samples dropped, nothing stored from now on.
   * Returns how many unsaved samples were dropped.
   */
  withdrawConsent(): number {
    this.record.consent = false;
    const dropped = this.pendingSamples.length;
    this.pendingSamples = [];
    return dropped;
  }

  /**
   * True while the store refuses this session's writes: nothing new is published, and a player
   * waiting for the next segment is answered 503 FRISSON_ERR_STORE_UNAVAILABLE (retry).
   */
  get storeFailing(): boolean {
    return this.failing;
  }

  /** The show operator's intensity cap (home viewers choose theirs at creation). */
  setMaxIntensity(value: number): void {
    this.record.maxIntensity = Math.min(1, Math.max(0, value));
  }

  /** The viewer's current signal snapshot (narration reads it; the director reads features). */
  viewerSnapshot(now: number): SignalSnapshot {
    return this.viewer.snapshot(now);
  }

  get stallCount(): number {
    return this.stalls;
  }

  /**
   * Renders the media playlist. With `rendition` (a name from the story's ABR renditions) every
   * segment points at that rendition's file: renditions share segment boundaries, so one decision
   * log serves every rendition and the player may switch between them at any segment.
   */
  renderPlaylist(segmentUrl: (uri: string) => string, rendition?: string): string {
    // Incremental (live-playlist.ts renderIncremental): one key per rendition, so the caller must
    // pass the same `segmentUrl` mapping for the whole session (the api router does).
    if (rendition === undefined)
      return this.playlist.renderIncremental('', segmentUrl, this.playlistLines);
    if (!this.story.renditions.some((r) => r.name === rendition)) {
      throw new FrissonError('FRISSON_ERR_NOT_FOUND', 'no such rendition');
    }
    const byUri = this.renditionIndex();
    return this.playlist.renderIncremental(
      rendition,
      (uri) => segmentUrl(byUri.get(uri)?.[rendition] ?? uri),
      this.playlistLines,
    );
  }

  /** A tag for the media playlist's current text (ETag): it changes with every publish and end. */
  playlistVersion(rendition?: string): string {
    return `"${this.id}.${this.playlist.nextMediaSequence}${this.ended ? 'e' : ''}${rendition ? `.${rendition}` : ''}"`;
  }

  private renditionUris: Map<string, Record<string, string>> | null = null;

  private renditionIndex(): Map<string, Record<string, string>> {
    if (!this.renditionUris) {
      this.renditionUris = new Map();
      for (const scene of Object.values(this.story.scenes)) {
        for (const v of Object.values(scene.variants)) {
          for (const seg of v.segments) {
            if (seg.renditionUris) this.renditionUris.set(seg.uri, seg.renditionUris);
          }
        }
      }
    }
    return this.renditionUris;
  }

  /** The msn the next published segment will get (no copy of the playlist, unlike segments()). */
  get nextMediaSequence(): number {
    return this.playlist.nextMediaSequence;
  }

  hasSegment(msn: number): boolean {
    return this.playlist.has(msn);
  }

  segments(): PlaylistSegment[] {
    return this.playlist.list();
  }

  /**
   * Resolves when segment `msn` is published or the session ends, or (false) after `timeoutMs` or
   * when the session is destroyed (server shutdown: the player is told to retry, not kept waiting).
   */
  waitForSegment(msn: number, timeoutMs: number): Promise<boolean> {
    if (this.playlist.has(msn) || this.ended) return Promise.resolve(true);
    if (this.destroyed) return Promise.resolve(false);
    return new Promise((resolve) => {
      const done = (ok: boolean): void => {
        clearTimeout(timer);
        this.off('published', onPublished);
        this.off('ended', onEnded);
        this.segmentWaiters.delete(done);
        resolve(ok);
      };
      const onPublished = (seg: PlaylistSegment): void => {
        if (seg.msn >= msn) done(true);
      };
      const onEnded = (): void => done(true);
      const timer = setTimeout(() => done(false), timeoutMs);
      this.on('published', onPublished);
      this.on('ended', onEnded);
      this.segmentWaiters.add(done);
    });
  }

  /**
   * When a viewer was last heard from (a playlist request, a sample, a playhead report or an
   * input; creation or resume counts as one): the session manager expires idle sessions by it.
   */
  lastActiveAt: number;

  onSample(sample: HeartSample): PushResult {
    this.lastActiveAt = this.clock();
    this.updateShowing(this.clock());
    const res = this.viewer.pushSample(sample);
    if (res.ok && this.record.consent) {
      this.pendingSamples.push({ ...sample, sessionId: this.id, source: 'viewer' });
      if (this.pendingSamples.length >= SAMPLE_FLUSH_MAX) void this.flushSamples();
      this.emit('sample', sample);
    }
    return res;
  }

  onInput(kind: InputKind, at: number): void {
    this.lastActiveAt = Math.max(this.lastActiveAt, at);
    this.viewer.recordInput(kind, at);
    if (kind === 'pause' && this.playhead) this.playhead.paused = true;
    if (kind === 'play' && this.playhead) this.playhead.paused = false;
  }

  onPlayhead(report: { position: number; paused?: boolean; stalled?: boolean }, at: number): void {
    this.lastActiveAt = Math.max(this.lastActiveAt, at);
    if (report.stalled) {
      this.stalls++;
      // A slow link: publish further ahead from the next decision on (never changes a published one).
      this.horizon.onStall(at);
    }
    // Several players may watch one session (a second screen, a simulated viewer): publish ahead
    // of the most advanced one. Everything behind it is already in the EVENT playlist, so lagging
    // players never starve. A lower report wins only once the higher one has gone quiet (2 s),
    // which is also how a single viewer's seek back is taken.
    const prev = this.playhead;
    if (prev && at - prev.at < 2000 && report.position < this.playheadEstimate(at) - 0.5) return;
    this.playhead = { position: report.position, at, paused: report.paused ?? false };
  }

  /** Best estimate of the player's media position now, in seconds. */
  playheadEstimate(now: number): number {
    if (this.playhead) {
      const drift = this.playhead.paused ? 0 : (now - this.playhead.at) / 1000;
      return this.playhead.position + Math.max(0, drift);
    }
    if (this.clockStart !== null) return (now - this.clockStart) / 1000;
    return 0;
  }

  /** Starts the wall clock (first playlist request) for players that never report a playhead. */
  touch(now: number): void {
    this.lastActiveAt = Math.max(this.lastActiveAt, now);
    if (this.clockStart === null) this.clockStart = now;
  }

  /**
   * Seconds this session publishes ahead of its playhead at `now`: the configured horizon, widened
   * after stalls its player reported (adaptive-horizon.ts). A show's vote countdown reads it.
   */
  horizonSeconds(now: number): number {
    return this.horizon.seconds(now);
  }

  /** True when the published edge is within the horizon of the playhead. */
  isDue(now: number): boolean {
    if (this.ended || this.deciding || this.destroyed) return false;
    if (now < this.publishRetryAt) return false;
    if (this.hooks.held?.(now)) return false;
    return this.playlist.duration - this.playheadEstimate(now) < this.horizon.seconds(now);
  }

  /** Decides and publishes the next segment. Never throws; errors are emitted and logged. */
  async publishNext(): Promise<void> {
    if (this.deciding || this.ended || this.destroyed) return;
    this.deciding = true;
    try {
      const now = this.clock();
      let candidates = this.cursor.candidates(this.record.maxIntensity);
      if (candidates.length === 0) {
        this.finish('end');
        return;
      }
      const viewer = this.hooks.features?.(now) ?? this.viewer.features(now);
      const position = this.cursor.view;
      const storyTime = this.playlist.duration;
      const ctx: PickContext = {
        sessionId: this.id,
        now,
        storyTime,
        storyProgress: Math.min(1, storyTime / this.storyLength),
        scene: position.scene ?? this.story.start,
        segmentIndex: position.segmentIndex,
        currentIntensity: position.level ? this.cursor.intensityOf(position.level) : 0,
        targetArousal: targetAt(this.story.targetCurve, storyTime),
        maxIntensity: this.record.maxIntensity,
        viewer,
        candidates,
      };
      // A home viewer without a sensor opens calm: nothing is known of them yet, and a film that
      // starts on its scare variant tells a newcomer nothing (issue 21). From the next scene on
      // the director follows the author's curve with the typical viewer's response.
      const opening = candidates.every((c) => c.scene === this.story.start);
      if (!this.hooks.features && !this.viewer.hasSensor && opening) {
        const calmest = Math.min(...candidates.map((c) => c.intensity));
        candidates = candidates.filter((c) => c.intensity === calmest);
        ctx.candidates = candidates;
      }
      const override = this.hooks.override?.(ctx);
      if (override && override.candidates.length > 0) {
        candidates = override.candidates;
        ctx.candidates = candidates;
      }
      const decision = await this.director.decide(ctx);
      if (override) decision.reason = `${override.reason}; ${decision.reason}`;
      if (this.destroyed) return;
      let chosen = candidates[decision.index] ?? candidates[0];
      if (!chosen) return;
      // The cap may have been lowered while the decision was in flight (operator, viewer): the
      // limit is a promise about what is published, so it is re-checked here, not just before.
      const cap = this.record.maxIntensity;
      if (chosen.intensity > cap + 1e-9) {
        const allowed = candidates.filter(
          (c) => c.scene === chosen?.scene && c.intensity <= cap + 1e-9,
        );
        const safest = allowed.reduce<typeof chosen | undefined>(
          (a, c) => (a === undefined || c.intensity > a.intensity ? c : a),
          undefined,
        );
        if (safest) {
          decision.reason = `cap lowered to ${cap} during the decision: ${safest.level} instead of ${chosen.level}`;
          chosen = safest;
        }
      }
      // The step is taken on a copy of the cursor: it becomes the session's only once stored.
      const next = new StoryCursor(this.story, this.cursor.position);
      const step = next.advance(chosen);
      const title = `${step.scene.id}/${chosen.level}`;
      const msn = this.playlist.nextMediaSequence;
      const why = decisionWhyParts({
        viewer,
        hasSensor: this.hooks.features ? viewer.contact > 0 : this.viewer.hasSensor,
        calibrationRemainingS: this.hooks.features
          ? (this.hooks.calibrationRemainingS?.() ?? 0)
          : this.viewer.estimate(now).calibrationRemainingS,
        targetArousal: ctx.targetArousal,
        level: chosen.level,
        ...(this.hooks.features ? { subject: 'audience' } : {}),
      });
      const record: DecisionRecord = {
        sessionId: this.id,
        msn,
        at: now,
        scene: step.scene.id,
        level: chosen.level,
        segmentIndex: step.segmentIndex,
        uri: step.segment.uri,
        duration: step.segment.duration,
        discontinuity: step.discontinuity && msn > 0,
        picker: decision.picker,
        fallback: decision.fallback,
        reason: decision.reason,
        why,
        arousal: viewer.arousal,
        latencyMs: decision.latencyMs,
      };
      const state = JSON.stringify(next.view);
      try {
        if (this.store.recordPublish) {
          await this.store.recordPublish(record, state);
        } else {
          await this.store.appendDecision(record);
          await this.store.updateSessionState(this.id, state);
        }
      } catch (err) {
        if (!isStoreUnavailable(err)) throw err;
        // Not stored, so not served: hold, answer waiting players 503, try again in a second.
        this.failing = true;
        this.publishRetryAt = now + STORE_RETRY_MS;
        for (const done of [...this.segmentWaiters]) done(false);
        return;
      }
      this.failing = false;
      this.publishRetryAt = 0;
      // Stored: only now does the segment exist for anyone. A session ended or destroyed during the
      // write keeps the stored decision unpublished (a restart would resume the very same one).
      if (this.destroyed || this.ended) return;
      this.cursor = next;
      this.recordShown(this.playlist.duration, { title });
      this.playlist.append({
        uri: step.segment.uri,
        duration: step.segment.duration,
        discontinuity: step.discontinuity,
        title,
      });
      const seg = this.playlist.lastSegment;
      if (seg) {
        this.emit('published', seg, {
          msn,
          scene: record.scene,
          level: record.level,
          picker: record.picker,
          fallback: record.fallback,
          reason: record.reason,
          why: formatWhy(why, 'en'),
          whyParts: why,
          uri: record.uri,
          duration: record.duration,
        });
      }
      this.lastPublishAt = now;
      this.emitState(now);
      if (step.ending) this.finish(step.ending);
    } catch (err) {
      this.log.error({ err }, 'publish failed');
      this.emit('error', err instanceof Error ? err : new Error(String(err)));
    } finally {
      this.deciding = false;
    }
  }

  private lastStateAt = -Infinity;
  private lastHeartbeatAt = -Infinity;
  private lastPublishAt = -Infinity;

  /**
   * A HUD update at least every `everyMs` even when no sample arrives (a viewer without a sensor
   * still sees the estimate and the target move). Kept `quietMs` away from a publish: the hub sends
   * `state` volatile, and one sent while the socket still writes the `decision` would be dropped.
   */
  heartbeatState(now: number, everyMs = 1000, quietMs = 200): void {
    if (this.ended || this.destroyed || this.hooks.features) return;
    if (now - this.lastHeartbeatAt < everyMs || now - this.lastPublishAt < quietMs) return;
    this.lastHeartbeatAt = now;
    this.emitState(now);
  }

  /**
   * HUD updates on incoming samples are coalesced to at most one per `minIntervalMs`: a 4 Hz seat
   * or strap would otherwise double the outgoing frames (the biggest share of socket CPU).
   */
  emitStateThrottled(now: number, minIntervalMs = 250): void {
    if (now - this.lastStateAt < minIntervalMs) return;
    this.emitState(now);
  }

  emitState(now: number): void {
    this.lastStateAt = now;
    this.updateShowing(now);
    const snap = this.viewer.snapshot(now);
    const est = this.viewer.estimate(now);
    const pos = this.cursor.view;
    this.emit('state', {
      sessionId: this.id,
      heartRate: snap.heartRate,
      arousal: est.arousal,
      arousalSd: est.sd,
      evidence: est.evidence,
      reading: snap.arousal,
      calibration: !this.viewer.hasSensor
        ? { state: 'no-sensor', remainingS: 0 }
        : est.calibrating
          ? { state: 'calibrating', remainingS: est.calibrationRemainingS }
          : { state: 'ready', remainingS: 0 },
      contact: snap.contact,
      scene: pos.scene ?? this.story.start,
      level: pos.level ?? '',
      msn: this.playlist.nextMediaSequence - 1,
      targetArousal: targetAt(this.story.targetCurve, this.playheadEstimate(now)),
    });
  }

  /**
   * The unsaved samples, taken for a write batched with other sessions' (SessionManager), or
   * undefined when there are none or this session is waiting out a store failure. The caller
   * reports the outcome: {@link samplesStored}, or {@link returnSamples} then {@link flushSamples}.
   */
  takeSamples(now: number): StoredSample[] | undefined {
    if (this.pendingSamples.length === 0 || now < this.flushRetryAt) return undefined;
    const batch = this.pendingSamples;
    this.pendingSamples = [];
    return batch;
  }

  /** A batch (from {@link takeSamples} or {@link flushSamples}) was stored. */
  samplesStored(): void {
    this.flushRetryAt = 0;
    if (this.flushFailing) this.log.info('sample flush works again');
    this.flushFailing = false;
  }

  /** A batch from {@link takeSamples} was not stored: back in front of the queue, order kept. */
  returnSamples(batch: StoredSample[]): void {
    if (!this.record.consent) return; // erased meanwhile: never stored
    this.pendingSamples = batch.concat(this.pendingSamples);
  }

  /** Writes the unsaved samples (`force`: even while waiting out a store failure). */
  async flushSamples(force = false): Promise<void> {
    if (this.pendingSamples.length === 0) return;
    const now = this.clock();
    if (!force && now < this.flushRetryAt) return;
    const batch = this.pendingSamples;
    this.pendingSamples = [];
    try {
      await this.store.appendSamples(batch);
      this.samplesStored();
    } catch (err) {
      // Nothing is lost silently: put them back (bounded, drops counted) and retry later.
      const kept = batch.concat(this.pendingSamples);
      const over = kept.length - PENDING_SAMPLES_MAX;
      this.pendingSamples = over > 0 ? kept.slice(over) : kept;
      if (over > 0) this.onSamplesDropped?.(over);
      this.flushRetryAt = now + STORE_RETRY_MS;
      if (!isStoreUnavailable(err) && !this.flushFailing) {
        this.log.error(
          { err: err instanceof Error ? err.message : String(err) },
          'sample flush failed; retrying every second',
        );
      }
      this.flushFailing = true;
    }
  }

  private finish(ending: string): void {
    if (!this.playlist.isEnded) this.playlist.end();
    this.store.endSession(this.id, this.clock()).catch((err: unknown) => {
      // A failing store was logged by its guard; the ended position is stored with the last
      // decision, so a resumed session ends again.
      if (!isStoreUnavailable(err)) this.log.error({ err }, 'could not record the end');
    });
    this.emit('ended', ending);
  }

  async destroy(): Promise<void> {
    this.destroyed = true;
    for (const done of [...this.segmentWaiters]) done(false);
    await this.flushSamples(true);
    if (this.pendingSamples.length > 0) {
      this.log.warn(
        { samples: this.pendingSamples.length },
        'unsaved samples lost: the store is failing',
      );
    }
    await this.director.destroy?.();
    this.removeAllListeners();
  }
}
