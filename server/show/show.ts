/**
 * A venue show: one shared screen session steered by many seats.
 *
 * Owns: the seats (one signal processor each), the audience aggregate the screen's director reads
 * (median over seats in contact, see audience-aggregate.ts), the Kinoautomat vote window at each
 * branch point (vote-window.ts), the operator's controls (force the next scene, pause/resume,
 * intensity cap, end) and a short history for the dashboard chart.
 *
 * It plugs into its screen Session through `SessionHooks` (features, override, held): the session
 * still decides and publishes on the SessionManager's tick, so a show costs the same per segment as
 * a home viewer. Emits `audience`, `decision`, `vote`, `status`, `control`, `ended`.
 */
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { PickContext } from '../../contracts/director.js';
import { evaluateCondition } from '../../media/playlist/story-cursor.js';
import type { PackagedStory } from '../../contracts/story.js';
import type { HeartSample, ViewerSignal } from '../../contracts/heart.js';
import { FrissonError } from '../../contracts/errors.js';
import type {
  AudiencePoint,
  AudienceUpdate,
  SeatSample,
  SeatWire,
  ShowDecision,
  ShowSnapshot,
  ShowStatus,
  VoteState,
} from '../../contracts/wire.js';
import { targetAt } from '../../models/features/target-curve.js';
import type { Session, SessionHooks } from '../session/session.js';
import { isStoreUnavailable } from '../store/guarded-store.js';
import type { ShowRecord, Store, StoredSample } from '../store/store.js';
import { aggregateAudience, type AudienceAggregate } from './audience-aggregate.js';
import { AudienceArousal } from './audience-arousal.js';
import { sceneCandidates } from './scene-candidates.js';
import { SeatState, type SeatRead, type SeatView } from './seat-state.js';
import { VoteWindow, type VoteResult } from './vote-window.js';

export interface ShowEvents {
  audience: [update: AudienceUpdate];
  decision: [decision: ShowDecision];
  vote: [vote: VoteState];
  status: [status: ShowStatus];
  control: [control: { action: 'pause' | 'resume' | 'end' }];
  ended: [ending: string];
  error: [err: Error];
}

export interface ShowOptions {
  record: ShowRecord;
  story: PackagedStory;
  store: Store;
  /** Already carries `{ show: id }` (ShowManager makes a child): lines must not repeat the key. */
  log: Logger;
  createSignal: () => ViewerSignal;
  /** Upper bound of seats one show accepts (a misbehaving agent cannot grow memory without end). */
  maxSeats?: number;
  /** Vote window length override, seconds (default: the branch's `voteSeconds`). */
  voteSeconds?: number;
  clock?: () => number;
}

function seatWire(v: SeatView): SeatWire {
  return {
    seat: v.seat,
    hr: v.heartRate,
    arousal: v.arousal,
    contact: v.contact,
    calibrated: v.calibrated,
  };
}

const HISTORY_MAX = 3600;
const DECISIONS_MAX = 500;
const SAMPLE_FLUSH_MAX = 2048;
/** Unsaved seat samples kept while the store fails; beyond it the oldest are dropped. */
const PENDING_SAMPLES_MAX = 200_000;
/** Wait between flush attempts while the store refuses writes (ms). */
const STORE_RETRY_MS = 1000;

export class Show extends EventEmitter<ShowEvents> {
  readonly id: string;
  readonly record: ShowRecord;
  readonly story: PackagedStory;
  private readonly opts: ShowOptions;
  private readonly store: Store;
  private readonly log: Logger;
  private readonly clock: () => number;
  private readonly seats = new Map<string, SeatState>();
  private screen: Session | null = null;
  private paused = false;
  private endedFlag = false;
  private forced: string | null = null;
  private window: VoteWindow | null = null;
  /** Scene path length when the last vote window opened (one window per scene entry). */
  private windowForEntry = -1;
  private readonly history: AudiencePoint[] = [];
  private readonly decisions: ShowDecision[] = [];
  private pendingSamples: StoredSample[] = [];
  private latest: AudienceAggregate | null = null;
  /** The audience's latent arousal (audience-arousal.ts): the estimate the director reads. */
  private readonly audienceArousal = new AudienceArousal();
  private windowSeq = 0;
  /** Seats whose samples were erased (loaded from the store on resume): never stored again. */
  private readonly erased = new Set<string>();
  private flushRetryAt = 0;
  /** A flush failed and nothing was written since: logged once per episode, not per retry. */
  private flushFailing = false;

  /** Hooks for the screen session (see SessionHooks). */
  readonly hooks: SessionHooks = {
    features: (now) => this.aggregate(now).features,
    override: (ctx) => this.override(ctx),
    held: () => this.paused || this.endedFlag,
    calibrationRemainingS: () => this.audienceArousal.calibrationRemainingS,
  };

  constructor(opts: ShowOptions) {
    super();
    this.opts = opts;
    this.id = opts.record.id;
    this.record = opts.record;
    this.story = opts.story;
    this.store = opts.store;
    this.log = opts.log;
    this.clock = opts.clock ?? Date.now;
  }

  get ended(): boolean {
    return this.endedFlag;
  }

  get seatCount(): number {
    return this.seats.size;
  }

  get screenSession(): Session | null {
    return this.screen;
  }

  /** Connects the screen session (created with `hooks`) and relays its decisions. */
  attach(screen: Session): void {
    this.screen = screen;
    screen.on('published', (_seg, d) => {
      const dec: ShowDecision = { ...d, at: this.clock() };
      this.decisions.push(dec);
      if (this.decisions.length > DECISIONS_MAX) this.decisions.shift();
      this.safeEmit('decision', dec);
      this.maybeOpenVote(this.clock());
      // The upcoming decision moved on: the dashboard's panel follows it (it stayed on the first).
      this.emitStatus();
    });
    screen.on('ended', (ending) => this.finish(ending));
    this.maybeOpenVote(this.clock());
  }

  /** Seats known before any sample arrives (from `POST /api/shows`). */
  addSeats(ids: string[]): void {
    for (const seat of ids) this.seat(seat);
  }

  /**
   * Takes a batch of seat samples (agent protocol) that passed the edge (the batch schema and
   * `seatSampleUsable`, server/hub/seat-namespace.ts). Stamps them on the server clock keeping
   * their spacing (the agent's clock may be anything); a sample its seat's signal processor
   * refuses is counted as rejected. Never throws.
   */
  ingest(
    samples: readonly SeatSample[],
    now = this.clock(),
  ): { accepted: number; rejected: number } {
    let accepted = 0;
    let rejected = 0;
    if (this.endedFlag) return { accepted, rejected: samples.length };
    let newest = -Infinity;
    for (const s of samples) if (s.t > newest) newest = s.t;
    let newSeats: string[] | null = null;
    for (const s of samples) {
      // One map lookup for a known seat (this runs for every seat sample).
      let seat = this.seats.get(s.seat);
      if (!seat) {
        seat = this.seat(s.seat);
        if (!seat) {
          rejected++;
          continue;
        }
        (newSeats ??= []).push(s.seat);
      }
      const t = now - Math.min(60_000, Math.max(0, newest - s.t));
      // Built field by field (no spread temporaries: this runs for every seat sample).
      const sample: HeartSample = { t };
      if (s.bpm !== undefined) sample.bpm = s.bpm;
      if (s.rr !== undefined) sample.rr = s.rr;
      if (s.contact !== undefined) sample.contact = s.contact;
      if (s.eda !== undefined) sample.eda = s.eda;
      const res = seat.push(sample);
      if (!res.ok) {
        rejected++;
        continue;
      }
      accepted++;
      if (this.record.consent && this.screen && !this.erased.has(s.seat)) {
        this.pendingSamples.push({ ...sample, sessionId: this.screen.id, source: s.seat });
      }
    }
    if (newSeats) {
      this.store.addSeats(this.id, newSeats, now).catch((err: unknown) => this.fail(err));
    }
    if (this.pendingSamples.length >= SAMPLE_FLUSH_MAX) void this.flushSamples();
    return { accepted, rejected };
  }

  /** A seat votes for a scene in the open window. Throws coded errors. */
  castVote(seat: string, option: string, now = this.clock()): VoteState {
    if (this.endedFlag) throw new FrissonError('FRISSON_ERR_SHOW_ENDED');
    const w = this.window;
    if (!w || !w.isOpen(now)) throw new FrissonError('FRISSON_ERR_VOTE_CLOSED');
    w.cast(seat, option, now);
    this.store
      .appendVote({ showId: this.id, windowId: w.id, branch: w.branch, seat, option, at: now })
      .catch((err: unknown) => this.fail(err));
    const state = this.voteState(w, now);
    this.safeEmit('vote', state);
    return state;
  }

  /** Operator: the next published segment starts `scene` (checked against the story). */
  forceScene(scene: string): void {
    this.assertLive();
    // Own keys only: `__proto__` or `constructor` is not a scene (the cut was silently lost).
    if (!Object.hasOwn(this.story.scenes, scene)) {
      throw new FrissonError('FRISSON_ERR_SCENE_NOT_FOUND', 'no such scene in this story');
    }
    this.forced = scene;
    this.log.info({ scene }, 'operator forced the next scene');
    this.emitStatus();
  }

  pause(): void {
    this.assertLive();
    this.paused = true;
    this.safeEmit('control', { action: 'pause' });
    this.emitStatus();
  }

  resume(): void {
    this.assertLive();
    this.paused = false;
    this.safeEmit('control', { action: 'resume' });
    this.emitStatus();
  }

  setIntensityCap(maxIntensity: number): void {
    this.assertLive();
    this.screen?.setMaxIntensity(maxIntensity);
    this.emitStatus();
  }

  /** Operator ends the show: the screen playlist gets ENDLIST, votes close, samples flush. */
  end(): void {
    if (this.endedFlag) return;
    this.safeEmit('control', { action: 'end' });
    if (this.screen && !this.screen.ended) this.screen.endNow('stopped');
    else this.finish('stopped');
  }

  /** Called on the show manager's tick: closes due vote windows, publishes the audience state. */
  tick(now = this.clock()): void {
    if (this.endedFlag) return;
    const w = this.window;
    if (w && !w.result && now >= w.closesAt) this.closeWindow(w, now);
    this.maybeOpenVote(now);
    // One read per seat for both the aggregate and the dashboard's seat map.
    const reads = this.readSeats(now);
    const agg = this.withEstimate(aggregateAudience(reads), now);
    this.latest = agg;
    const seats = reads.map(seatWire);
    const point: AudiencePoint = {
      t: now / 1000,
      arousal: agg.features.contact ? agg.features.arousal : null,
      target: targetAt(this.story.targetCurve, this.screen?.playheadEstimate(now) ?? 0),
      seatsInContact: agg.seatsInContact,
    };
    this.history.push(point);
    if (this.history.length > HISTORY_MAX) this.history.shift();
    this.safeEmit('audience', { ...point, showId: this.id, seats });
    void this.flushSamples();
  }

  status(now = this.clock()): ShowStatus {
    const screen = this.screen;
    let inSeconds: number | null = null;
    let candidates: ShowStatus['upcoming']['candidates'] = [];
    if (screen && !screen.ended) {
      const published = screen.segments().reduce((sum, s) => sum + s.duration, 0);
      // The screen session's own horizon: widened while its player stalls (adaptive-horizon.ts).
      const ahead = published - screen.playheadEstimate(now);
      inSeconds = Math.max(0, ahead - screen.horizonSeconds(now));
      candidates = screen.upcomingCandidates().map((c) => ({
        id: c.id,
        scene: c.scene,
        level: c.level,
        intensity: c.intensity,
      }));
    }
    return {
      showId: this.id,
      paused: this.paused,
      ended: this.endedFlag,
      maxIntensity: screen?.record.maxIntensity ?? this.story.defaultMaxIntensity,
      forced: this.forced,
      upcoming: { candidates, inSeconds },
    };
  }

  snapshot(now = this.clock()): ShowSnapshot {
    return {
      showId: this.id,
      title: this.record.title,
      storyId: this.story.id,
      scenes: Object.values(this.story.scenes).map((s) => ({ id: s.id, title: s.title })),
      status: this.status(now),
      history: [...this.history],
      decisions: [...this.decisions],
      vote: this.window ? this.voteState(this.window, now) : null,
      seats: this.seatViews(now),
    };
  }

  currentVote(now = this.clock()): VoteState | null {
    return this.window ? this.voteState(this.window, now) : null;
  }

  seatsInContact(): number {
    return this.latest?.seatsInContact ?? 0;
  }

  /**
   * Privacy erase of one seat: drops its unsaved samples and stores none of it from now on.
   * Returns how many unsaved samples were dropped.
   */
  forgetSeat(seat: string): number {
    this.erased.add(seat);
    const before = this.pendingSamples.length;
    this.pendingSamples = this.pendingSamples.filter((s) => s.source !== seat);
    return before - this.pendingSamples.length;
  }

  /** Writes the unsaved seat samples (`force`: even while waiting out a store failure). */
  async flushSamples(force = false): Promise<void> {
    if (this.pendingSamples.length === 0) return;
    const now = this.clock();
    if (!force && now < this.flushRetryAt) return;
    const batch = this.pendingSamples;
    this.pendingSamples = [];
    try {
      await this.store.appendSamples(batch);
      this.flushRetryAt = 0;
      if (this.flushFailing) this.log.info('sample flush works again');
      this.flushFailing = false;
    } catch (err) {
      const kept = batch.concat(this.pendingSamples);
      const over = kept.length - PENDING_SAMPLES_MAX;
      this.pendingSamples = over > 0 ? kept.slice(over) : kept;
      this.flushRetryAt = now + STORE_RETRY_MS;
      // A failing store is logged once by its guard, not here on every show tick.
      if (!isStoreUnavailable(err) && !this.flushFailing) {
        this.log.error(
          { err: err instanceof Error ? err.message : String(err) },
          'seat sample flush failed; retrying every second',
        );
      }
      this.flushFailing = true;
    }
  }

  async destroy(): Promise<void> {
    await this.flushSamples(true);
    if (this.pendingSamples.length > 0) {
      this.log.warn(
        { samples: this.pendingSamples.length },
        'unsaved seat samples lost: the store is failing',
      );
    }
    this.removeAllListeners();
  }

  // ---------------------------------------------------------------------------------------------

  private seat(id: string): SeatState | undefined {
    let s = this.seats.get(id);
    if (!s) {
      if (this.seats.size >= (this.opts.maxSeats ?? 5000)) return undefined;
      s = new SeatState(id, this.opts.createSignal());
      this.seats.set(id, s);
    }
    return s;
  }

  private aggregate(now: number): AudienceAggregate {
    this.latest = this.withEstimate(aggregateAudience(this.readSeats(now)), now);
    return this.latest;
  }

  private withEstimate(agg: AudienceAggregate, now: number): AudienceAggregate {
    const screen = this.screen;
    const shown = screen && !screen.ended ? screen.intensityOnScreen(now) : 0;
    return this.audienceArousal.update(now, shown, agg);
  }

  private seatViews(now: number): SeatWire[] {
    return this.readSeats(now).map(seatWire);
  }

  private readSeats(now: number): SeatRead[] {
    const reads: SeatRead[] = [];
    for (const s of this.seats.values()) reads.push(s.read(now));
    return reads;
  }

  /** The screen session asks at each boundary: a forced scene wins, then a vote at a branch. */
  private override(
    ctx: PickContext,
  ): { candidates: PickContext['candidates']; reason: string } | undefined {
    const now = this.clock();
    if (this.forced) {
      const scene = this.forced;
      this.forced = null;
      if (this.window && !this.window.result) this.closeWindow(this.window, now);
      this.emitStatus();
      return {
        candidates: sceneCandidates(this.story, scene, ctx.maxIntensity),
        reason: `operator forced scene ${scene}`,
      };
    }
    const first = ctx.candidates[0];
    if (!first || first.kind !== 'branch') return undefined;
    const w = this.window;
    if (!w) return undefined;
    const result = w.result ?? this.closeWindow(w, now);
    this.window = null;
    const chosen = ctx.candidates.filter((c) => c.scene === result.winner);
    if (chosen.length === 0) {
      return {
        candidates: ctx.candidates,
        reason: `audience vote for ${result.winner} is not eligible here; director chose`,
      };
    }
    return {
      candidates: chosen,
      reason: `audience vote: ${result.winner} (${result.rule}, ${result.votes} votes)`,
    };
  }

  /** Opens a vote window when the screen has entered a scene that ends in a branch. */
  private maybeOpenVote(now: number): void {
    const screen = this.screen;
    if (!screen || this.endedFlag || screen.ended) return;
    const pos = screen.storyPosition();
    if (!pos.scene || pos.path.length === this.windowForEntry) return;
    const next = this.story.scenes[pos.scene]?.next;
    if (next?.type !== 'branch') return;
    const branch = this.story.branches[next.branch];
    if (!branch) return;
    const eligible = branch.candidates.filter(
      (c) => !c.when || evaluateCondition(c.when, pos.variables),
    );
    const options = [...new Set(eligible.map((c) => c.scene))];
    this.windowForEntry = pos.path.length;
    if (options.length < 2) return; // nothing to choose: no vote
    const seconds = this.opts.voteSeconds ?? branch.voteSeconds;
    this.windowSeq++;
    const w = new VoteWindow({
      id: `${branch.id}#${this.windowSeq}`,
      branch: branch.id,
      ...(branch.prompt !== undefined ? { prompt: branch.prompt } : {}),
      options,
      defaultOption: branch.default,
      opensAt: now,
      closesAt: now + seconds * 1000,
    });
    this.window = w;
    this.log.info({ branch: branch.id, options }, 'vote window opened');
    this.safeEmit('vote', this.voteState(w, now));
  }

  private closeWindow(w: VoteWindow, now: number): VoteResult {
    const already = w.result;
    const result = w.close(now);
    if (!already) {
      this.store
        .appendVoteResult({ showId: this.id, ...result, at: now })
        .catch((err: unknown) => this.fail(err));
      this.log.info({ ...result }, 'vote window closed');
      this.safeEmit('vote', this.voteState(w, now));
    }
    return result;
  }

  private voteState(w: VoteWindow, now: number): VoteState {
    const counts = w.counts();
    const r = w.result;
    return {
      id: w.id,
      branch: w.branch,
      ...(w.prompt !== undefined ? { prompt: w.prompt } : {}),
      options: w.options.map((scene) => ({
        scene,
        title: this.story.scenes[scene]?.title ?? scene,
        votes: counts[scene] ?? 0,
      })),
      defaultOption: w.defaultOption,
      opensAt: w.opensAt,
      closesAt: w.closesAt,
      now,
      ...(r ? { result: { winner: r.winner, rule: r.rule, votes: r.votes } } : {}),
    };
  }

  private finish(ending: string): void {
    if (this.endedFlag) return;
    this.endedFlag = true;
    const now = this.clock();
    if (this.window && !this.window.result) this.closeWindow(this.window, now);
    this.store.endShow(this.id, now).catch((err: unknown) => this.fail(err));
    void this.flushSamples();
    this.emitStatus();
    this.safeEmit('ended', ending);
  }

  private assertLive(): void {
    if (this.endedFlag) throw new FrissonError('FRISSON_ERR_SHOW_ENDED');
  }

  private emitStatus(): void {
    this.safeEmit('status', this.status());
  }

  /** A throwing listener must not take the show down (hls.js's rule for its event hub). */
  private safeEmit<K extends keyof ShowEvents>(event: K, ...args: ShowEvents[K]): void {
    try {
      this.emit(event, ...(args as never));
    } catch (err) {
      this.fail(err);
    }
  }

  private fail(err: unknown): void {
    if (isStoreUnavailable(err)) return; // logged once by the store guard
    this.log.error({ err }, 'show listener or store failed');
  }
}
