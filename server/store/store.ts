/**
 * Persistence seam. SQLite (better-sqlite3, WAL) is the default implementation; the cluster issue
 * adds Redis for live state. Every method is synchronous-or-async-agnostic from the caller's view
 * (callers `await` the result), so a networked store can implement the same interface.
 */
import type { WhyParts } from '../../contracts/decision-why.js';
import type { HeartSample } from '../../contracts/heart.js';

export interface SessionRecord {
  id: string;
  /**
   * The session's bearer token. Stores keep only `sha256:<hex>` of it (`hashToken`, written by the
   * store on `createSession`), so a copied database file grants nothing; a session created by this
   * process keeps the issued token in memory, because it hands it out once. Compare with
   * `tokenMatches` (token-hash.ts), which accepts either form in constant time.
   */
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
  /** The decision's reason for people (server/session/decision-why.ts); absent in older records. */
  why?: WhyParts;
  arousal: number;
  latencyMs: number;
}

/** The `source` of an erasure that covers every source of a session (a home viewer's whole erase). */
export const ERASE_ALL_SOURCES = '*';

export interface StoredSample extends HeartSample {
  sessionId: string;
  /** Seat id for venue samples, 'viewer' for home viewers. */
  source: string;
}

/** A venue show (server/show): one shared screen session and many seats. */
export interface ShowRecord {
  id: string;
  /** The show's screen session (kind 'show'). */
  screenSessionId: string;
  storyId: string;
  title: string;
  createdAt: number;
  endedAt: number | null;
  /** The venue collected the audience's consent to store seat samples. */
  consent: boolean;
}

export interface VoteRecord {
  showId: string;
  windowId: string;
  branch: string;
  seat: string;
  option: string;
  at: number;
}

export interface VoteResultRecord {
  showId: string;
  windowId: string;
  branch: string;
  winner: string;
  /** Which resolution rule decided (see server/show/vote-window.ts). */
  rule: string;
  counts: Record<string, number>;
  votes: number;
  at: number;
}

export interface NarrationRecord {
  sessionId: string;
  at: number;
  locale: string;
  text: string;
}

export interface Store {
  createSession(rec: SessionRecord): Promise<void>;
  getSession(id: string): Promise<SessionRecord | undefined>;
  listSessions(opts?: { activeOnly?: boolean }): Promise<SessionRecord[]>;
  updateSessionState(id: string, state: string): Promise<void>;
  endSession(id: string, at: number): Promise<void>;
  /** A viewer withdrew consent (erase): no further samples are stored. */
  setSessionConsent(id: string, consent: boolean): Promise<void>;
  /** Decisions are append-only; (sessionId, msn) is unique and never rewritten. */
  appendDecision(rec: DecisionRecord): Promise<void>;
  /**
   * Optional atomic form of `appendDecision` + `updateSessionState`, so a crash can never leave a
   * published decision without the story position that follows it (SQLite: one transaction).
   */
  recordPublish?(rec: DecisionRecord, state: string): Promise<void>;
  listDecisions(sessionId: string): Promise<DecisionRecord[]>;
  appendSamples(samples: StoredSample[]): Promise<void>;
  countSamples(sessionId: string): Promise<number>;
  /** Highest batch sequence number accepted from a sensor agent, 0 when none (exactly-once delivery). */
  getAgentCursor(agentId: string): Promise<number>;
  setAgentCursor(agentId: string, seq: number): Promise<void>;
  /** Samples of one session (optionally one source: a seat id, or 'viewer'), oldest first. */
  listSamples(sessionId: string, opts?: { source?: string }): Promise<StoredSample[]>;
  /**
   * Privacy erase: removes the stored samples of one source of a session (a seat id, 'viewer', or
   * `ERASE_ALL_SOURCES` for every source) and records the erasure, so no later sample of that source
   * is stored again — also after a restart. The removed bytes are scrubbed from the files, not just
   * unlinked (SQLite: `secure_delete` and a WAL checkpoint). Returns how many samples were removed.
   */
  eraseSamples(sessionId: string, source: string, at: number): Promise<number>;
  /** Sources erased in a session (`ERASE_ALL_SOURCES` for all), in the order they were erased. */
  listErasures(sessionId: string): Promise<string[]>;
  /** Retention: removes (and scrubs) every sample older than `t` (ms since epoch); returns the count. */
  purgeSamplesBefore(t: number): Promise<number>;
  createShow(rec: ShowRecord): Promise<void>;
  getShow(id: string): Promise<ShowRecord | undefined>;
  listShows(): Promise<ShowRecord[]>;
  endShow(id: string, at: number): Promise<void>;
  /** Registers seats of a show (idempotent). */
  addSeats(showId: string, seats: string[], at: number): Promise<void>;
  listSeats(showId: string): Promise<string[]>;
  appendVote(rec: VoteRecord): Promise<void>;
  listVotes(showId: string): Promise<VoteRecord[]>;
  appendVoteResult(rec: VoteResultRecord): Promise<void>;
  listVoteResults(showId: string): Promise<VoteResultRecord[]>;
  appendNarration(rec: NarrationRecord): Promise<void>;
  listNarration(sessionId: string): Promise<NarrationRecord[]>;
  /**
   * A tiny real write (not a read: a full disk still answers reads), used by `GuardedStore` to
   * notice that a failing store works again while nothing else writes.
   */
  probe?(): Promise<void>;
  close(): Promise<void>;
}
