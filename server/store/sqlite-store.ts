/**
 * SQLite implementation of the Store (better-sqlite3 v12, WAL). One file, created on first start;
 * the schema is versioned with `PRAGMA user_version` so later issues can migrate it.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DecisionRecord, SessionRecord, Store, StoredSample } from './store.js';

const SCHEMA_VERSION = 1;

const MIGRATIONS: Record<number, string> = {
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
};

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

  private constructor(db: Database.Database) {
    this.db = db;
  }

  static open(path: string): SqliteStore {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    const current = db.pragma('user_version', { simple: true }) as number;
    for (let v = current + 1; v <= SCHEMA_VERSION; v++) {
      const sql = MIGRATIONS[v];
      if (!sql) throw new Error(`missing migration ${v}`);
      db.transaction(() => {
        db.exec(sql);
        db.pragma(`user_version = ${v}`);
      })();
    }
    return new SqliteStore(db);
  }

  createSession(rec: SessionRecord): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO sessions (id, token, story_id, kind, created_at, max_intensity, consent, ended_at, state)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        rec.id,
        rec.token,
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
    const row = this.db.prepare('SELECT * FROM sessions WHERE id = ?').get(id) as
      SessionRow | undefined;
    return Promise.resolve(row ? toSession(row) : undefined);
  }

  listSessions(opts: { activeOnly?: boolean } = {}): Promise<SessionRecord[]> {
    const sql = opts.activeOnly
      ? 'SELECT * FROM sessions WHERE ended_at IS NULL ORDER BY created_at'
      : 'SELECT * FROM sessions ORDER BY created_at';
    return Promise.resolve((this.db.prepare(sql).all() as SessionRow[]).map(toSession));
  }

  updateSessionState(id: string, state: string): Promise<void> {
    this.db.prepare('UPDATE sessions SET state = ? WHERE id = ?').run(state, id);
    return Promise.resolve();
  }

  endSession(id: string, at: number): Promise<void> {
    this.db
      .prepare('UPDATE sessions SET ended_at = ? WHERE id = ? AND ended_at IS NULL')
      .run(at, id);
    return Promise.resolve();
  }

  appendDecision(d: DecisionRecord): Promise<void> {
    // Plain INSERT (not REPLACE): a published decision is never rewritten; a duplicate msn throws.
    this.db
      .prepare(
        `INSERT INTO decisions (session_id, msn, at, scene, level, segment_index, uri, duration,
           discontinuity, picker, fallback, reason, arousal, latency_ms)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
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
      );
    return Promise.resolve();
  }

  listDecisions(sessionId: string): Promise<DecisionRecord[]> {
    const rows = this.db
      .prepare('SELECT * FROM decisions WHERE session_id = ? ORDER BY msn')
      .all(sessionId) as DecisionRow[];
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
        arousal: r.arousal,
        latencyMs: r.latency_ms,
      })),
    );
  }

  appendSamples(samples: StoredSample[]): Promise<void> {
    if (samples.length === 0) return Promise.resolve();
    const stmt = this.db.prepare(
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
    const row = this.db
      .prepare('SELECT COUNT(*) AS n FROM samples WHERE session_id = ?')
      .get(sessionId) as { n: number };
    return Promise.resolve(row.n);
  }

  getAgentCursor(agentId: string): Promise<number> {
    const row = this.db.prepare('SELECT seq FROM agent_cursors WHERE agent_id = ?').get(agentId) as
      { seq: number } | undefined;
    return Promise.resolve(row?.seq ?? -1);
  }

  setAgentCursor(agentId: string, seq: number): Promise<void> {
    this.db
      .prepare(
        'INSERT INTO agent_cursors (agent_id, seq) VALUES (?, ?) ON CONFLICT(agent_id) DO UPDATE SET seq = excluded.seq',
      )
      .run(agentId, seq);
    return Promise.resolve();
  }

  close(): Promise<void> {
    if (this.db.open) this.db.close();
    return Promise.resolve();
  }
}
