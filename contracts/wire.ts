/**
 * The wire, shared by the server, the browser pages and the sensor agent the way socket.io shares
 * `ClientToServerEvents` / `ServerToClientEvents` between both ends: zod schemas for every inbound
 * payload (validated at the edge, see server/hub and server/http) and the typed event maps of each
 * namespace.
 *
 *   `/`          viewers (home sessions)            server/hub/viewer-hub.ts
 *   `/seats`     the venue's sensor agent           server/hub/seat-namespace.ts, sensors/agent
 *   `/screens`   a show's screen (player)           server/hub/screen-namespace.ts
 *   `/operators` the operator's dashboard           server/hub/operator-namespace.ts
 *
 * Physiological bounds at the edge (contracts/limits.ts) reject impossible values (a negative bpm
 * is a bug, not an artifact); plausible-but-noisy values (ectopic beats) are the signal stage's job.
 */
import { z } from 'zod';
import type { WireError } from './errors.js';
import type { WhyParts } from './decision-why.js';
import type { ContactState } from './heart.js';
import { EDGE_EDA_US, MAX_RR_PER_SAMPLE, withinEdgeLimits } from './limits.js';

/** The hub's socket.io namespaces. */
export const NAMESPACES = {
  viewers: '/',
  seats: '/seats',
  screens: '/screens',
  operators: '/operators',
} as const;

/**
 * Largest socket.io message the transport accepts (bytes): bigger frames close the connection.
 * Anything above 16 KiB that reaches a handler is answered FRISSON_ERR_PAYLOAD_TOO_LARGE.
 */
export const MAX_MESSAGE_BYTES = 2 * 1024 * 1024;

const finite = z.number().finite();

// ─── `/`: viewers (home sessions) and the HTTP API that creates them ───────────────────────────

export const SampleSchema = z
  .object({
    /** Client timestamp, ms since epoch (optional: the server stamps arrival time). */
    t: finite.nonnegative().optional(),
    bpm: finite.optional(),
    rr: z.array(finite).max(MAX_RR_PER_SAMPLE).optional(),
    contact: z.boolean().optional(),
    /** Skin conductance, microsiemens. */
    eda: finite.min(EDGE_EDA_US.min).max(EDGE_EDA_US.max).optional(),
  })
  .strict()
  .refine((s) => s.bpm !== undefined || (s.rr !== undefined && s.rr.length > 0), {
    message: 'a sample needs bpm or at least one rr interval',
  });
export type SamplePayload = z.infer<typeof SampleSchema>;

export const InputSchema = z
  .object({
    t: finite.nonnegative().optional(),
    kind: z.enum(['click', 'pause', 'play', 'seek', 'visibility', 'key']),
    /** For seek: target time; for visibility: 1 visible / 0 hidden. */
    value: finite.optional(),
  })
  .strict();
export type InputPayload = z.infer<typeof InputSchema>;

export const PlayheadSchema = z
  .object({
    /** Player's media time in seconds (video.currentTime). */
    position: finite.nonnegative(),
    /** Media sequence number of the segment playing now, when known. */
    msn: z.number().int().nonnegative().optional(),
    /** Seconds of media buffered ahead of the position. */
    buffered: finite.nonnegative().optional(),
    /** The player reports a stall (video `waiting`). */
    stalled: z.boolean().optional(),
    paused: z.boolean().optional(),
  })
  .strict();
export type PlayheadPayload = z.infer<typeof PlayheadSchema>;

export const JoinSchema = z
  .object({
    sessionId: z.string().min(1).max(64),
    token: z.string().min(1).max(512),
  })
  .strict();
export type JoinPayload = z.infer<typeof JoinSchema>;

export type Ack<T = Record<string, never>> = (
  res: ({ ok: true } & T) | { ok: false; error: WireError },
) => void;

/** What the hub tells a viewer's player after each decision and every few samples. */
/** Where a viewer's arousal estimate stands: no heart data yet, collecting resting data, ready. */
export interface CalibrationState {
  state: 'no-sensor' | 'calibrating' | 'ready';
  /** Seconds of resting heart data still needed (0 unless calibrating). */
  remainingS: number;
}

/** What the hub tells a viewer's player after each decision and every few samples. */
export interface StateUpdate {
  sessionId: string;
  heartRate: number | null;
  /**
   * What the viewer is estimated to feel, 0–1 (the latent-arousal estimate the director steers).
   * Without heart data it is the typical viewer's response to what was played.
   */
  arousal: number;
  /** The estimate's standard deviation. */
  arousalSd: number;
  /** 0 = the typical viewer (nothing identified yet), 1 = this viewer's own data. */
  evidence: number;
  /** The signal stage's reading (arousal index against the resting baseline): a diagnostic. */
  reading: number;
  calibration: CalibrationState;
  contact: string;
  scene: string;
  level: string;
  msn: number;
  targetArousal: number;
}

export interface DecisionEvent {
  msn: number;
  scene: string;
  level: string;
  picker: string;
  fallback: boolean;
  /** The decision log's technical reason (pickers, costs). */
  reason: string;
  /** One line for people: the viewer's state that led to it, e.g. "heart flat, 0.21 below target 0.55 → tense". */
  why: string;
  /** The same reason as data, for pages that say it in their own language (formatWhy). */
  whyParts: WhyParts;
  uri: string;
  /** Segment duration, seconds. */
  duration: number;
}

/** A narration line scheduled in the session's subtitle track (times on the media timeline, s). */
export interface NarrationEvent {
  id: string;
  msn: number;
  start: number;
  end: number;
  text: string;
  locale: string;
  source: 'grammar' | 'llm' | 'cache';
}

export interface ClientToServerEvents {
  join: (payload: unknown, ack: Ack<{ sessionId: string }>) => void;
  sample: (payload: unknown, ack?: Ack) => void;
  input: (payload: unknown, ack?: Ack) => void;
  playhead: (payload: unknown, ack?: Ack) => void;
}

export interface ServerToClientEvents {
  state: (s: StateUpdate) => void;
  decision: (d: DecisionEvent) => void;
  ended: (e: { sessionId: string; ending: string }) => void;
  narration: (n: NarrationEvent) => void;
}

export interface SocketData {
  sessionId?: string;
}

/** HTTP: POST /api/sessions body. */
export const CreateSessionSchema = z
  .object({
    /** Viewer's chosen maximum intensity 0–1 (defaults to the story's). */
    maxIntensity: z.number().min(0).max(1).optional(),
    /** Consent to store biometric samples (default false: watch without storing). */
    consent: z.boolean().optional(),
    locale: z.string().max(16).optional(),
  })
  .strict();
export type CreateSessionBody = z.infer<typeof CreateSessionSchema>;

export interface CreateSessionResponse {
  id: string;
  token: string;
  /** The session's live media playlist. */
  playlistUrl: string;
  /** Multivariant playlist: the media playlist(s) plus the narration subtitle rendition. */
  masterUrl: string;
  playerUrl: string;
}

// ─── `/screens`, `/operators`: a show's screen and its operator ─────────────────────────────────

const id = z.string().min(1).max(128);

// Handshake schemas are not strict: socket.io-client adds `pid`/`offset` (connection state
// recovery) to the auth of every reconnect.
/** Handshake auth of a screen: the show token. */
export const ScreenAuthSchema = z.object({ showId: id, token: z.string().min(1).max(1024) });
/** Handshake auth of an operator: the operator key (FRISSON_OPERATOR_KEY). */
export const OperatorAuthSchema = z.object({ showId: id, key: z.string().min(1).max(512) });

export const ForceSceneSchema = z.object({ scene: id }).strict();
export const IntensityCapSchema = z.object({ maxIntensity: z.number().min(0).max(1) }).strict();
export const EmptySchema = z.object({}).strict();
/** A seat's vote (HTTP `POST /api/shows/:id/votes`). */
export const VoteSchema = z.object({ seat: id, option: id }).strict();
/** One seat on the dashboard map. */
export interface SeatWire {
  seat: string;
  hr: number | null;
  arousal: number;
  contact: ContactState;
  calibrated: boolean;
}

/** One point of the audience-vs-target chart (t in seconds since the epoch). */
export interface AudiencePoint {
  t: number;
  arousal: number | null;
  target: number;
  seatsInContact: number;
}

export interface AudienceUpdate extends AudiencePoint {
  showId: string;
  seats: SeatWire[];
}

export interface VoteState {
  id: string;
  branch: string;
  prompt?: string;
  options: Array<{ scene: string; title: string; votes: number }>;
  defaultOption: string;
  opensAt: number;
  closesAt: number;
  /** Server clock when this state was sent (countdown = closesAt − now). */
  now: number;
  result?: { winner: string; rule: string; votes: number };
}

export interface ShowDecision extends DecisionEvent {
  /** Wall clock, ms. */
  at: number;
}

export interface ShowStatus {
  showId: string;
  paused: boolean;
  ended: boolean;
  maxIntensity: number;
  /** Scene the operator forced for the next boundary, if any. */
  forced: string | null;
  upcoming: {
    candidates: Array<{ id: string; scene: string; level: string; intensity: number }>;
    /** Seconds until the next decision (estimate), null when unknown. */
    inSeconds: number | null;
  };
}

export interface ShowSnapshot {
  showId: string;
  title: string;
  storyId: string;
  scenes: Array<{ id: string; title: string }>;
  status: ShowStatus;
  history: AudiencePoint[];
  decisions: ShowDecision[];
  vote: VoteState | null;
  seats: SeatWire[];
}

export interface ScreenClientEvents {
  playhead: (payload: unknown, ack?: Ack) => void;
}
export interface ScreenServerEvents {
  vote: (v: VoteState) => void;
  control: (c: { action: 'pause' | 'resume' | 'end' }) => void;
  decision: (d: ShowDecision) => void;
  ended: (e: { showId: string; ending: string }) => void;
}

export interface OperatorClientEvents {
  snapshot: (payload: unknown, ack: Ack<{ snapshot: ShowSnapshot }>) => void;
  force: (payload: unknown, ack?: Ack) => void;
  pause: (payload: unknown, ack?: Ack) => void;
  resume: (payload: unknown, ack?: Ack) => void;
  cap: (payload: unknown, ack?: Ack) => void;
  end: (payload: unknown, ack?: Ack) => void;
}
export interface OperatorServerEvents {
  audience: (a: AudienceUpdate) => void;
  decision: (d: ShowDecision) => void;
  vote: (v: VoteState) => void;
  status: (s: ShowStatus) => void;
  ended: (e: { showId: string; ending: string }) => void;
}

export interface ShowSocketData {
  showId?: string;
  /** When the handshake's token expires, ms since the epoch (server side; absent: never). */
  expiresAt?: number;
}

// ─── `/seats`: the venue sensor agent ──────────────────────────────────────────────────────────
/*
 * Handshake `auth: { token }`.
 *
 * - `hello` `{ agentId }` → ack `{ ok: true, cursor }`: the last batch seq the hub accepted from
 *   this agent (0 if none), so a restarted agent continues numbering after it.
 * - `batch` `{ agentId, seq, samples: [{ seat, t, bpm?, rr?, contact?, eda? }], stats? }` → ack
 *   `{ ok: true, ackedThrough }` or `{ ok: false, error: { code, message } }`. A batch with
 *   seq ≤ the agent's cursor is a duplicate: acknowledged, not processed again.
 */
export const SEAT_NAMESPACE = NAMESPACES.seats;
export const MAX_BATCH_SAMPLES = 5000;

/**
 * One seat's sample in a batch (the agent's `batch`). Values are bounded after the schema, sample
 * by sample (`seatSampleUsable`), so one impossible value drops that sample, not the batch.
 */
export const SeatSampleSchema = z
  .object({
    seat: z.string().min(1).max(64),
    t: finite.nonnegative(),
    bpm: finite.optional(),
    rr: z.array(finite).max(MAX_RR_PER_SAMPLE).optional(),
    contact: z.boolean().optional(),
    /** Skin conductance, microsiemens. */
    eda: finite.optional(),
  })
  .strict();
export type SeatSample = z.infer<typeof SeatSampleSchema>;

/**
 * The per-sample check after the batch's schema: every value present within the edge limits
 * (contracts/limits.ts), and a heart value (bpm or an RR interval) unless the seat reports no
 * contact.
 */
export function seatSampleUsable(s: SeatSample): boolean {
  const heart = s.bpm !== undefined || (s.rr !== undefined && s.rr.length > 0);
  return (heart || s.contact === false) && withinEdgeLimits(s);
}

export const HelloSchema = z.object({ agentId: z.string().min(1).max(128) }).strict();

export const BatchSchema = z
  .object({
    agentId: z.string().min(1).max(128),
    seq: z.number().int().positive(),
    samples: z.array(SeatSampleSchema).max(MAX_BATCH_SAMPLES),
    stats: z
      .object({ buffered: z.number().int().nonnegative(), dropped: z.number().int().nonnegative() })
      .strict()
      .optional(),
  })
  .strict();

export type BatchPayload = z.infer<typeof BatchSchema>;

export type HelloAck =
  { ok: true; cursor: number } | { ok: false; error: { code: string; message: string } };

export type BatchAck =
  | { ok: true; ackedThrough: number; duplicate?: boolean; rejectedSamples?: number }
  | { ok: false; error: { code: string; message: string } };

// ─── `--simulate N`: watchable simulated viewers (server/http/simulated-viewer-router.ts) ──────

/** One simulated viewer as `/api/sim` lists it: a stable number, a personality, its session now. */
export interface SimulatedViewerInfo {
  /** 1-based: `/watch/sim/<index>`. */
  index: number;
  /** The personality, for people: how easily scared, how much the heart shows it (i18n `sim.*`). */
  personality: { kind: 'jumpy' | 'steady' | 'unflappable'; heart: 'strong' | 'weak' };
  /** Latent susceptibility σ and cardiac reactivity (bpm at full arousal) of the simulator. */
  susceptibility: number;
  cardiacReactivity: number;
  /** How many sessions this viewer has started (a new one each time its film ends). */
  run: number;
  session: CreateSessionResponse;
}
