/**
 * SQLite implementation of the Store (better-sqlite3 v12, WAL). One file, created on first start;
 * the schema is versioned with `PRAGMA user_version` so later issues can migrate it.
 *
 * One process per database: the connection runs in `locking_mode=EXCLUSIVE`, so it holds an
 * exclusive POSIX lock on the file from open to close. Two servers on one file would both resume
 * the same sessions and publish different segments under the same msn; the second one's open
 * fails with SQLITE_BUSY and is refused in one line naming the holder. The kernel drops the lock
 * when the holder dies (kill -9 included), so there is no stale lock to clean up, unlike a pid
 * file. Set before WAL is first used, exclusive mode also keeps the WAL index in process memory
 * (no `-shm` file). Deleted rows are overwritten (`secure_delete`), and erase/purge checkpoint the
 * WAL with TRUNCATE, so erased values are in neither the database file nor its `-wal`.
 */
import type { WhyParts } from '../../contracts/decision-why.js';
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { lockHolder, prepareDatabaseFile, StoreOpenError } from './sqlite-file.js';
import { hashToken } from './token-hash.js';
import {
  ERASE_ALL_SOURCES,
  type DecisionRecord,
  type NarrationRecord,
  type SessionRecord,
  type ShowRecord,
  type Store,
  type StoredSample,
  type VoteRecord,
  type VoteResultRecord,
} from './store.js';

const SCHEMA_VERSION = 4;

/** How long opening waits for a lock held by another process before refusing (ms). */
const LOCK_WAIT_MS = 250;

const UPSERT_AGENT_CURSOR =
  'INSERT INTO agent_cursors (agent_id, seq) VALUES (?, ?) ON CONFLICT(agent_id) DO UPDATE SET seq = excluded.seq';

/** A migration: SQL, or a function for steps SQL cannot do (hashing). Runs in one transaction. */
type Migration = string | ((db: Database.Database) => void);

const MIGRATIONS: Record<number, Migration> = {
  1: `
    CREATE TABLE sessions (
      id TEXT PRIMARY KEY,
      token TEXT NOT NULL,
      story_id TEXT NOT NULL,
      kind TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      max_intensity REAL NOT NULL,
      consent INTEGER NOT NULL,
      ended_at INTEGER,
      state TEXT
    );
    CREATE TABLE decisions (
      session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
      msn INTEGER NOT NULL,
      at INTEGER NOT NULL,
      scene TEXT NOT NULL,
      level TEXT NOT NULL,
      segment_index INTEGER NOT NULL,
      uri TEXT NOT NULL,
      duration REAL NOT NULL,
      discontinuity INTEGER NOT NULL,
      picker TEXT NOT NULL,
      fallback INTEGER NOT NULL,
      reason TEXT NOT NULL,
      arousal REAL NOT NULL,
      latency_ms REAL NOT NULL,
      PRIMARY KEY (session_id, msn)
    );
    CREATE TABLE samples (
      session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
      source TEXT NOT NULL,
      t INTEGER NOT NULL,
      bpm REAL,
      rr TEXT,
      contact INTEGER,
      eda REAL
    );
    CREATE INDEX samples_session ON samples(session_id, t);
    CREATE TABLE agent_cursors (
      agent_id TEXT PRIMARY KEY,
      seq INTEGER NOT NULL
    );
  `,
  // Venues (shows, seats, votes), narration, and an index for retention purges by time.
  2: `
    CREATE TABLE shows (
      id TEXT PRIMARY KEY,
      screen_session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
      story_id TEXT NOT NULL,
      title TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      ended_at INTEGER,
      consent INTEGER NOT NULL
    );
    CREATE TABLE seats (
      show_id TEXT NOT NULL REFERENCES shows(id) ON DELETE CASCADE,
      seat TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      PRIMARY KEY (show_id, seat)
    );
    CREATE TABLE votes (
      show_id TEXT NOT NULL REFERENCES shows(id) ON DELETE CASCADE,
      window_id TEXT NOT NULL,
      branch TEXT NOT NULL,
      seat TEXT NOT NULL,
      option TEXT NOT NULL,
      at INTEGER NOT NULL
    );
    CREATE INDEX votes_show ON votes(show_id, at);
    CREATE TABLE vote_results (
      show_id TEXT NOT NULL REFERENCES shows(id) ON DELETE CASCADE,
      window_id TEXT NOT NULL,
      branch TEXT NOT NULL,
      winner TEXT NOT NULL,
      rule TEXT NOT NULL,
      counts TEXT NOT NULL,
      votes INTEGER NOT NULL,
      at INTEGER NOT NULL,
      PRIMARY KEY (show_id, window_id)
    );
    CREATE TABLE narration (
      session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
      at INTEGER NOT NULL,
      locale TEXT NOT NULL,
      text TEXT NOT NULL
    );
    CREATE INDEX narration_session ON narration(session_id, at);
    CREATE INDEX samples_t ON samples(t);
    CREATE INDEX samples_source ON samples(session_id, source);
  `,
  // Durable erasures (an erased seat stays erased after a restart), a key/value table for the
  // health probe, and session tokens at rest as SHA-256 (rows written before were plaintext).
  3: (db) => {
    db.exec(`
      CREATE TABLE erasures (
        session_id TEXT NOT NULL,
        source TEXT NOT NULL,
        at INTEGER NOT NULL,
        PRIMARY KEY (session_id, source)
      );
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    `);
    const rows = db.prepare('SELECT id, token FROM sessions').all() as Array<{
      id: string;
      token: string;
    }>;
    const update = db.prepare('UPDATE sessions SET token = ? WHERE id = ?');
    for (const r of rows) update.run(hashToken(r.token), r.id);
  },
  // Each decision's reason for people (`why`, WhyParts as JSON), shown by the report; older rows ''.
  4: `ALTER TABLE decisions ADD COLUMN why TEXT NOT NULL DEFAULT '';`,
};

function migrate(db: Database.Database): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (let v = current + 1; v <= SCHEMA_VERSION; v++) {
    const step = MIGRATIONS[v];
    if (!step) throw new Error(`missing migration ${v}`);
    db.transaction(() => {
      if (typeof step === 'string') db.exec(step);
      else step(db);
      db.pragma(`user_version = ${v}`);
    })();
  }
  return current;
}

const erasureKey = (sessionId: string, source: string): string => `${sessionId}\u0000${source}`;

interface ShowRow {
  id: string;
  screen_session_id: string;
  story_id: string;
  title: string;
  created_at: number;
  ended_at: number | null;
  consent: number;
}

interface SampleRow {
  session_id: string;
  source: string;
  t: number;
  bpm: number | null;
  rr: string | null;
  contact: number | null;
  eda: number | null;
}

function toShow(r: ShowRow): ShowRecord {
  return {
    id: r.id,
    screenSessionId: r.screen_session_id,
    storyId: r.story_id,
    title: r.title,
    createdAt: r.created_at,
    endedAt: r.ended_at,
    consent: r.consent === 1,
  };
}

function toSample(r: SampleRow): StoredSample {
  return {
    sessionId: r.session_id,
    source: r.source,
    t: r.t,
    ...(r.bpm !== null ? { bpm: r.bpm } : {}),
    ...(r.rr !== null ? { rr: JSON.parse(r.rr) as number[] } : {}),
    ...(r.contact !== null ? { contact: r.contact === 1 } : {}),
    ...(r.eda !== null ? { eda: r.eda } : {}),
  };
}

interface SessionRow {
  id: string;
  token: string;
  story_id: string;
  kind: string;
  created_at: number;
  max_intensity: number;
  consent: number;
  ended_at: number | null;
  state: string | null;
}

interface DecisionRow {
  session_id: string;
  msn: number;
  at: number;
  scene: string;
  level: string;
  segment_index: number;
  uri: string;
  duration: number;
  discontinuity: number;
  picker: string;
  fallback: number;
  reason: string;
  arousal: number;
  latency_ms: number;
  why: string;
}

function toSession(r: SessionRow): SessionRecord {
  return {
    id: r.id,
    token: r.token,
    storyId: r.story_id,
    kind: r.kind === 'show' ? 'show' : 'home',
    createdAt: r.created_at,
    maxIntensity: r.max_intensity,
    consent: r.consent === 1,
    endedAt: r.ended_at,
    state: r.state,
  };
}

/**
 * @example
 *   const store = SqliteStore.open('data/frisson.db');
 *   await store.createSession({ ... });
 */
export class SqliteStore implements Store {
  private readonly db: Database.Database;
  /** Prepared statements by SQL text: preparing on every call cost ~3 % of hub CPU under load. */
  private readonly statements = new Map<string, Database.Statement>();

  private prep(sql: string): Database.Statement {
    let st = this.statements.get(sql);
    if (!st) {
      st = this.db.prepare(sql);
      this.statements.set(sql, st);
    }
    return st;
  }

  /**
   * Erased (session, source) pairs, mirrored from the `erasures` table: `appendSamples` drops
   * their samples without a query per row. The exclusive lock makes this process the only writer.
   */
  private readonly erased: Set<string>;

  private constructor(db: Database.Database) {
    this.db = db;
    const rows = db.prepare('SELECT session_id, source FROM erasures').all() as Array<{
      session_id: string;
      source: string;
    }>;
    this.erased = new Set(rows.map((r) => erasureKey(r.session_id, r.source)));
  }

  /**
   * Opens (or creates) the database. Throws `StoreOpenError` with one line for an operator when
   * another process holds the file, or when it is empty or orphaned (see sqlite-file.ts).
   */
  static open(path: string): SqliteStore {
    if (path === ':memory:') {
      const db = new Database(path);
      db.pragma('foreign_keys = ON');
      db.pragma('secure_delete = ON');
      migrate(db);
      return new SqliteStore(db);
    }
    mkdirSync(dirname(path), { recursive: true });
    prepareDatabaseFile(path, (fresh) => void migrate(fresh));
    const db = new Database(path, { timeout: LOCK_WAIT_MS });
    try {
      // Exclusive before the first WAL access (see the file comment); the write transaction takes
      // the exclusive lock now rather than at the first decision.
      db.pragma('locking_mode = EXCLUSIVE');
      db.pragma('journal_mode = WAL');
      db.exec('BEGIN IMMEDIATE; COMMIT');
    } catch (err) {
      db.close();
      if ((err as { code?: string }).code === 'SQLITE_BUSY') {
        const holder = lockHolder(path) ?? 'another process';
        throw new StoreOpenError(
          `the store ${path} is in use by ${holder}; two servers on one database would publish different segments under the same numbers: stop that one, or pass --db (FRISSON_DB) with another file`,
        );
      }
      if ((err as { code?: string }).code === 'SQLITE_NOTADB') {
        throw new StoreOpenError(
          `the store ${path} is not a SQLite database (damaged or another kind of file); restore it from a backup, or pass --db (FRISSON_DB) with another file`,
        );
      }
      throw err;
    }
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('secure_delete = ON');
    const before = migrate(db);
    if (before > 0 && before < 3) {
      // Upgraded from a version without secure_delete: rewrite the file once so that samples
      // erased back then and the plaintext tokens just hashed are gone from its free space too.
      // Best effort (VACUUM needs room for a copy); later erases scrub their own rows regardless.
      try {
        db.exec('VACUUM');
      } catch {
        /* e.g. SQLITE_FULL: the data is intact, only old free space stays unscrubbed */
      }
    }
    db.pragma('wal_checkpoint(TRUNCATE)');
    return new SqliteStore(db);
  }

  /** Writes the WAL back into the database and truncates it (erased pages leave the `-wal`). */
  private checkpoint(): void {
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  createSession(rec: SessionRecord): Promise<void> {
    this.prep(
      `INSERT INTO sessions (id, token, story_id, kind, created_at, max_intensity, consent, ended_at, state)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      rec.id,
      hashToken(rec.token),
      rec.storyId,
      rec.kind,
      rec.createdAt,
      rec.maxIntensity,
      rec.consent ? 1 : 0,
      rec.endedAt,
      rec.state,
    );
    return Promise.resolve();
  }

  getSession(id: string): Promise<SessionRecord | undefined> {
    const row = this.prep('SELECT * FROM sessions WHERE id = ?').get(id) as SessionRow | undefined;
    return Promise.resolve(row ? toSession(row) : undefined);
  }

  listSessions(opts: { activeOnly?: boolean } = {}): Promise<SessionRecord[]> {
    const sql = opts.activeOnly
      ? 'SELECT * FROM sessions WHERE ended_at IS NULL ORDER BY created_at'
      : 'SELECT * FROM sessions ORDER BY created_at';
    return Promise.resolve((this.prep(sql).all() as SessionRow[]).map(toSession));
  }

  updateSessionState(id: string, state: string): Promise<void> {
    this.prep('UPDATE sessions SET state = ? WHERE id = ?').run(state, id);
    return Promise.resolve();
  }

  endSession(id: string, at: number): Promise<void> {
    this.prep('UPDATE sessions SET ended_at = ? WHERE id = ? AND ended_at IS NULL').run(at, id);
    return Promise.resolve();
  }

  setSessionConsent(id: string, consent: boolean): Promise<void> {
    this.prep('UPDATE sessions SET consent = ? WHERE id = ?').run(consent ? 1 : 0, id);
    return Promise.resolve();
  }

  /**
   * Write-ahead of a publish (the decision and the session's story position), resolved once it is
   * committed. Publishes requested in the same turn of the event loop — every session the publish
   * tick found due — are committed together in **one** transaction (group commit): one per session
   * was ≈ 5 % of a loaded hub's CPU. If the group fails, each is retried alone, so only a publish
   * that cannot be stored is refused (a duplicate msn, a full disk for all of them).
   */
  recordPublish(d: DecisionRecord, state: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.publishQueue.push({ d, state, resolve, reject });
      if (this.publishQueue.length === 1) setImmediate(() => this.commitPublishes());
    });
  }

  private publishQueue: Array<{
    d: DecisionRecord;
    state: string;
    resolve: () => void;
    reject: (err: unknown) => void;
  }> = [];

  private commitPublishes(): void {
    const queue = this.publishQueue;
    this.publishQueue = [];
    if (queue.length === 0) return;
    const write = (items: typeof queue) =>
      this.db.transaction(() => {
        for (const { d, state } of items) {
          void this.appendDecision(d);
          void this.updateSessionState(d.sessionId, state);
        }
      })();
    try {
      if (!this.db.open) throw new Error('the database is closed');
      write(queue);
      for (const p of queue) p.resolve();
    } catch (err) {
      if (queue.length === 1) return queue[0]?.reject(err);
      for (const p of queue) {
        try {
          write([p]);
          p.resolve();
        } catch (one) {
          p.reject(one);
        }
      }
    }
  }

  appendDecision(d: DecisionRecord): Promise<void> {
    // Plain INSERT (not REPLACE): a published decision is never rewritten; a duplicate msn throws.
    this.prep(
      `INSERT INTO decisions (session_id, msn, at, scene, level, segment_index, uri, duration,
           discontinuity, picker, fallback, reason, arousal, latency_ms, why)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      d.sessionId,
      d.msn,
      d.at,
      d.scene,
      d.level,
      d.segmentIndex,
      d.uri,
      d.duration,
      d.discontinuity ? 1 : 0,
      d.picker,
      d.fallback ? 1 : 0,
      d.reason,
      d.arousal,
      d.latencyMs,
      d.why ? JSON.stringify(d.why) : '',
    );
    return Promise.resolve();
  }

  listDecisions(sessionId: string): Promise<DecisionRecord[]> {
    const rows = this.prep('SELECT * FROM decisions WHERE session_id = ? ORDER BY msn').all(
      sessionId,
    ) as DecisionRow[];
    return Promise.resolve(
      rows.map((r) => ({
        sessionId: r.session_id,
        msn: r.msn,
        at: r.at,
        scene: r.scene,
        level: r.level,
        segmentIndex: r.segment_index,
        uri: r.uri,
        duration: r.duration,
        discontinuity: r.discontinuity === 1,
        picker: r.picker,
        fallback: r.fallback === 1,
        reason: r.reason,
        ...(r.why ? { why: JSON.parse(r.why) as WhyParts } : {}),
        arousal: r.arousal,
        latencyMs: r.latency_ms,
      })),
    );
  }

  appendSamples(all: StoredSample[]): Promise<void> {
    // An erased source's samples are never stored again, whatever still queued them.
    const samples =
      this.erased.size === 0
        ? all
        : all.filter(
            (s) =>
              !this.erased.has(erasureKey(s.sessionId, s.source)) &&
              !this.erased.has(erasureKey(s.sessionId, ERASE_ALL_SOURCES)),
          );
    if (samples.length === 0) return Promise.resolve();
    const stmt = this.prep(
      'INSERT INTO samples (session_id, source, t, bpm, rr, contact, eda) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.db.transaction((rows: StoredSample[]) => {
      for (const s of rows) {
        stmt.run(
          s.sessionId,
          s.source,
          Math.round(s.t),
          s.bpm ?? null,
          s.rr ? JSON.stringify(s.rr) : null,
          s.contact === undefined ? null : s.contact ? 1 : 0,
          s.eda ?? null,
        );
      }
    })(samples);
    return Promise.resolve();
  }

  countSamples(sessionId: string): Promise<number> {
    const row = this.prep('SELECT COUNT(*) AS n FROM samples WHERE session_id = ?').get(
      sessionId,
    ) as { n: number };
    return Promise.resolve(row.n);
  }

  getAgentCursor(agentId: string): Promise<number> {
    const row = this.prep('SELECT seq FROM agent_cursors WHERE agent_id = ?').get(agentId) as
      { seq: number } | undefined;
    return Promise.resolve(row?.seq ?? 0);
  }

  setAgentCursor(agentId: string, seq: number): Promise<void> {
    this.prep(UPSERT_AGENT_CURSOR).run(agentId, seq);
    return Promise.resolve();
  }

  /** Many agents' cursors in one transaction (the seat intake's write-behind flush). */
  setAgentCursors(entries: ReadonlyArray<readonly [agentId: string, seq: number]>): Promise<void> {
    const upsert = this.prep(UPSERT_AGENT_CURSOR);
    this.db.transaction(() => {
      for (const [agentId, seq] of entries) upsert.run(agentId, seq);
    })();
    return Promise.resolve();
  }

  listSamples(sessionId: string, opts: { source?: string } = {}): Promise<StoredSample[]> {
    const rows = (
      opts.source === undefined
        ? this.prep('SELECT * FROM samples WHERE session_id = ? ORDER BY t, rowid').all(sessionId)
        : this.prep(
            'SELECT * FROM samples WHERE session_id = ? AND source = ? ORDER BY t, rowid',
          ).all(sessionId, opts.source)
    ) as SampleRow[];
    return Promise.resolve(rows.map(toSample));
  }

  eraseSamples(sessionId: string, source: string, at: number): Promise<number> {
    const n = this.db.transaction(() => {
      this.prep(
        'INSERT INTO erasures (session_id, source, at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
      ).run(sessionId, source, Math.round(at));
      const info =
        source === ERASE_ALL_SOURCES
          ? this.prep('DELETE FROM samples WHERE session_id = ?').run(sessionId)
          : this.prep('DELETE FROM samples WHERE session_id = ? AND source = ?').run(
              sessionId,
              source,
            );
      return info.changes;
    })();
    this.erased.add(erasureKey(sessionId, source));
    this.checkpoint();
    return Promise.resolve(n);
  }

  listErasures(sessionId: string): Promise<string[]> {
    const rows = this.prep(
      'SELECT source FROM erasures WHERE session_id = ? ORDER BY at, rowid',
    ).all(sessionId) as Array<{ source: string }>;
    return Promise.resolve(rows.map((r) => r.source));
  }

  purgeSamplesBefore(t: number): Promise<number> {
    const info = this.prep('DELETE FROM samples WHERE t < ?').run(Math.floor(t));
    if (info.changes > 0) this.checkpoint();
    return Promise.resolve(info.changes);
  }

  probe(): Promise<void> {
    this.prep(
      "INSERT INTO meta (key, value) VALUES ('probe', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    ).run(String(Date.now()));
    return Promise.resolve();
  }

  createShow(rec: ShowRecord): Promise<void> {
    this.prep(
      `INSERT INTO shows (id, screen_session_id, story_id, title, created_at, ended_at, consent)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      rec.id,
      rec.screenSessionId,
      rec.storyId,
      rec.title,
      rec.createdAt,
      rec.endedAt,
      rec.consent ? 1 : 0,
    );
    return Promise.resolve();
  }

  getShow(id: string): Promise<ShowRecord | undefined> {
    const row = this.prep('SELECT * FROM shows WHERE id = ?').get(id) as ShowRow | undefined;
    return Promise.resolve(row ? toShow(row) : undefined);
  }

  listShows(): Promise<ShowRecord[]> {
    const rows = this.prep('SELECT * FROM shows ORDER BY created_at').all() as ShowRow[];
    return Promise.resolve(rows.map(toShow));
  }

  endShow(id: string, at: number): Promise<void> {
    this.prep('UPDATE shows SET ended_at = ? WHERE id = ? AND ended_at IS NULL').run(at, id);
    return Promise.resolve();
  }

  addSeats(showId: string, seats: string[], at: number): Promise<void> {
    const stmt = this.prep(
      'INSERT OR IGNORE INTO seats (show_id, seat, created_at) VALUES (?, ?, ?)',
    );
    this.db.transaction((ids: string[]) => {
      for (const seat of ids) stmt.run(showId, seat, at);
    })(seats);
    return Promise.resolve();
  }

  listSeats(showId: string): Promise<string[]> {
    const rows = this.prep(
      'SELECT seat FROM seats WHERE show_id = ? ORDER BY created_at, seat',
    ).all(showId) as Array<{ seat: string }>;
    return Promise.resolve(rows.map((r) => r.seat));
  }

  appendVote(v: VoteRecord): Promise<void> {
    this.prep(
      'INSERT INTO votes (show_id, window_id, branch, seat, option, at) VALUES (?, ?, ?, ?, ?, ?)',
    ).run(v.showId, v.windowId, v.branch, v.seat, v.option, v.at);
    return Promise.resolve();
  }

  listVotes(showId: string): Promise<VoteRecord[]> {
    const rows = this.prep('SELECT * FROM votes WHERE show_id = ? ORDER BY at, rowid').all(
      showId,
    ) as Array<{
      show_id: string;
      window_id: string;
      branch: string;
      seat: string;
      option: string;
      at: number;
    }>;
    return Promise.resolve(
      rows.map((r) => ({
        showId: r.show_id,
        windowId: r.window_id,
        branch: r.branch,
        seat: r.seat,
        option: r.option,
        at: r.at,
      })),
    );
  }

  appendVoteResult(v: VoteResultRecord): Promise<void> {
    this.prep(
      `INSERT OR IGNORE INTO vote_results (show_id, window_id, branch, winner, rule, counts, votes, at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      v.showId,
      v.windowId,
      v.branch,
      v.winner,
      v.rule,
      JSON.stringify(v.counts),
      v.votes,
      v.at,
    );
    return Promise.resolve();
  }

  listVoteResults(showId: string): Promise<VoteResultRecord[]> {
    const rows = this.prep('SELECT * FROM vote_results WHERE show_id = ? ORDER BY at').all(
      showId,
    ) as Array<{
      show_id: string;
      window_id: string;
      branch: string;
      winner: string;
      rule: string;
      counts: string;
      votes: number;
      at: number;
    }>;
    return Promise.resolve(
      rows.map((r) => ({
        showId: r.show_id,
        windowId: r.window_id,
        branch: r.branch,
        winner: r.winner,
        rule: r.rule,
        counts: JSON.parse(r.counts) as Record<string, number>,
        votes: r.votes,
        at: r.at,
      })),
    );
  }

  appendNarration(n: NarrationRecord): Promise<void> {
    this.prep('INSERT INTO narration (session_id, at, locale, text) VALUES (?, ?, ?, ?)').run(
      n.sessionId,
      n.at,
      n.locale,
      n.text,
    );
    return Promise.resolve();
  }

  listNarration(sessionId: string): Promise<NarrationRecord[]> {
    const rows = this.prep('SELECT * FROM narration WHERE session_id = ? ORDER BY at, rowid').all(
      sessionId,
    ) as Array<{ session_id: string; at: number; locale: string; text: string }>;
    return Promise.resolve(
      rows.map((r) => ({ sessionId: r.session_id, at: r.at, locale: r.locale, text: r.text })),
    );
  }

  close(): Promise<void> {
    // Publishes asked for before the close are committed first, never dropped.
    if (this.db.open) this.commitPublishes();
    // Closing the last connection checkpoints and deletes the -wal.
    if (this.db.open) this.db.close();
    return Promise.resolve();
  }
}
