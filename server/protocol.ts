/**
 * Wire protocol shared by the server and the browser client: zod schemas for every inbound socket
 * event (validated at the edge, see server/hub) and the typed event maps for socket.io's
 * `Server<ClientToServerEvents, ServerToClientEvents>` and the client's `Socket<…>`.
 *
 * Physiological bounds at the edge (contracts/limits.ts) reject impossible values (a negative bpm
 * is a bug, not an artifact); plausible-but-noisy values (ectopic beats) are the signal stage's job.
 */
import { z } from 'zod';
import type { WireError } from '../contracts/errors.js';
import { EDGE_EDA_US, MAX_RR_PER_SAMPLE } from '../contracts/limits.js';

/**
 * Largest socket.io message the transport accepts (bytes): bigger frames close the connection.
 * Anything above 16 KiB that reaches a handler is answered FRISSON_ERR_PAYLOAD_TOO_LARGE.
 */
export const MAX_MESSAGE_BYTES = 2 * 1024 * 1024;

const finite = z.number().finite();

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
export interface StateUpdate {
  sessionId: string;
  heartRate: number | null;
  arousal: number;
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
  reason: string;
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
