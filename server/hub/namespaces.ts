/**
 * Typed event maps and payload schemas for the hub's venue namespaces, shared by the server and the
 * browser pages (dashboard, screen) the way socket.io shares `ClientToServerEvents` /
 * `ServerToClientEvents` between both ends.
 *
 *   `/`          viewers (home sessions)            server/hub/viewer-hub.ts, server/protocol.ts
 *   `/seats`     the venue's sensor agent           server/hub/seat-namespace.ts
 *   `/screens`   a show's screen (player)           server/hub/screen-namespace.ts
 *   `/operators` the operator's dashboard           server/hub/operator-namespace.ts
 */
import { z } from 'zod';
import type { ContactState } from '../../contracts/heart.js';
import type { Ack, DecisionEvent } from '../protocol.js';

export const NAMESPACES = {
  viewers: '/',
  seats: '/seats',
  screens: '/screens',
  operators: '/operators',
} as const;

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
/** A batch of seat samples (HTTP `POST /api/shows/:id/samples`, same shape as the agent's). */
export const SeatSampleSchema = z
  .object({
    seat: id,
    t: z.number().finite().nonnegative(),
    bpm: z.number().finite().optional(),
    rr: z.array(z.number().finite()).max(32).optional(),
    contact: z.boolean().optional(),
    eda: z.number().finite().min(0).max(100).optional(),
  })
  .strict();
export type SeatSample = z.infer<typeof SeatSampleSchema>;

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
}
