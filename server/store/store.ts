/**
 * Persistence seam. SQLite (better-sqlite3, WAL) is the default implementation; the cluster issue
 * adds Redis for live state. Every method is synchronous-or-async-agnostic from the caller's view
 * (callers `await` the result), so a networked store can implement the same interface.
 */
import type { HeartSample } from '../../sensors/signal/signal-types.js';

export interface SessionRecord {
  id: string;
  /** Opaque; only a hash would be stored in a hardened deployment (see docs/api.md). */
  token: string;
  storyId: string;
  kind: 'home' | 'show';
  createdAt: number;
  maxIntensity: number;
  /** Whether the viewer consented to storing biometric samples. */
  consent: boolean;
  endedAt: number | null;
  /** Serialised session state (position, variables) for resume after a restart. */
  state: string | null;
}

export interface DecisionRecord {
  sessionId: string;
  /** EXT-X-MEDIA-SEQUENCE number of the segment this decision published. */
  msn: number;
  at: number;
  scene: string;
  level: string;
  segmentIndex: number;
  uri: string;
  duration: number;
  discontinuity: boolean;
  picker: string;
  fallback: boolean;
  reason: string;
  arousal: number;
  latencyMs: number;
}

export interface StoredSample extends HeartSample {
  sessionId: string;
  /** Seat id for venue samples, 'viewer' for home viewers. */
  source: string;
}

export interface Store {
  createSession(rec: SessionRecord): Promise<void>;
  getSession(id: string): Promise<SessionRecord | undefined>;
  listSessions(opts?: { activeOnly?: boolean }): Promise<SessionRecord[]>;
  updateSessionState(id: string, state: string): Promise<void>;
  endSession(id: string, at: number): Promise<void>;
  /** Decisions are append-only; (sessionId, msn) is unique and never rewritten. */
  appendDecision(rec: DecisionRecord): Promise<void>;
  listDecisions(sessionId: string): Promise<DecisionRecord[]>;
  appendSamples(samples: StoredSample[]): Promise<void>;
  countSamples(sessionId: string): Promise<number>;
  /** Highest batch sequence number accepted from a sensor agent (exactly-once delivery). */
  getAgentCursor(agentId: string): Promise<number>;
  setAgentCursor(agentId: string, seq: number): Promise<void>;
  close(): Promise<void>;
}
