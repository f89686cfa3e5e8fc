/**
 * Redis implementation of the Store for cluster mode (FRISSON_REDIS_URL): the live state every hub
 * process must see — session records and story positions, the append-only decision log, shows,
 * seats, votes and vote results, sensor-agent cursors — lives in Redis, so any process can serve
 * any session's playlist and adopt a session whose process died (server/cluster).
 *
 * Biometric samples and narration are archival, not live: they go to `archive` (the process's
 * SQLite file), which also keeps them out of a shared cache. The archive's rows reference a
 * session row, so the first sample or narration line of a session this process did not create
 * (an adopted one) copies the session's record from Redis into the archive first — as an ended
 * archive row (`endedAt = createdAt`, no state), so a single process opening the file later
 * resumes nothing from it. Erasures are recorded in both: the archive's `erasures` table (this
 * process stores nothing more of that source) and `erasures:<id>` in Redis (every other process,
 * also one that was down during the erase, applies it to its own archive: server/cluster).
 *
 * Keys (prefix `frisson:` by default):
 *   session:<id>      hash  rec (JSON, immutable fields), state, endedAt, consent
 *   sessions          zset  id by createdAt;   sessions:active  set of unfinished ids
 *   decisions:<id>    hash  msn → DecisionRecord JSON, written with HSETNX (never rewritten)
 *   show:<id>         hash  rec (JSON), endedAt;   shows  zset id by createdAt
 *   seats:<show>      zset  seat by first registration;   votes:<show>, voteresults:<show>  lists
 *   agent:<id>        string  highest accepted batch seq
 *   erasures:<id>     set     erased sources of a session (`*` = all); never holds sample values
 *
 * The client is expected with `enableOfflineQueue: false` and a `commandTimeout`, so no call ever
 * waits long on an unreachable Redis. Writes that fail because Redis is unreachable are kept, in
 * order, in a bounded write-behind queue and replayed when the client is ready again (reads fail
 * fast): a publishing session is never held up by Redis and loses no decision to a short outage.
 * While the queue is not empty every new write joins it, so a replay never reorders writes.
 */
import type { Redis } from 'ioredis';
import type {
  DecisionRecord,
  NarrationRecord,
  SessionRecord,
  ShowRecord,
  Store,
  StoredSample,
  VoteRecord,
  VoteResultRecord,
} from './store.js';
import { hashToken } from './token-hash.js';

type StaticSession = Omit<SessionRecord, 'state' | 'endedAt' | 'consent'>;

/** The store's own refusal (a decision that already exists): never queued, always thrown. */
class DuplicateDecisionError extends Error {}

const MAX_QUEUED_WRITES = 100_000;
const MAX_ARCHIVED_IDS = 10_000;

export interface RedisStoreOptions {
  redis: Redis;
  /** Where samples and narration go (archival data), e.g. the process's SqliteStore. */
  archive: Store;
  prefix?: string;
  /** Told when writes are queued or dropped (logging). */
  onWriteBehind?: (event: 'queued' | 'replayed' | 'dropped', count: number) => void;
}

function num(v: string | null | undefined): number | null {
  if (v === null || v === undefined || v === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

/**
 * @example
 *   const store = new RedisStore({ redis: new Redis(url, { enableOfflineQueue: false }), archive });
 *   await store.appendDecision(decision); // throws if (sessionId, msn) already exists
 */
export class RedisStore implements Store {
  private readonly redis: Redis;
  private readonly archive: Store;
  private readonly p: string;
  private readonly onWriteBehind: RedisStoreOptions['onWriteBehind'];
  private queue: Array<() => Promise<unknown>> = [];
  private replaying = false;
  /** Sessions known to have their row in the archive (bounded: cleared when it grows large). */
  private readonly archived = new Set<string>();

  constructor(opts: RedisStoreOptions) {
    this.redis = opts.redis;
    this.archive = opts.archive;
    this.p = opts.prefix ?? 'frisson:';
    this.onWriteBehind = opts.onWriteBehind;
    this.redis.on('ready', () => void this.replay());
  }

  /** Writes queued while Redis was unreachable and not replayed yet. */
  get pendingWrites(): number {
    return this.queue.length;
  }

  /** Runs a write now, or queues it while Redis is unreachable (see the file comment). */
  private async write(op: () => Promise<unknown>): Promise<void> {
    if (this.queue.length === 0) {
      try {
        await op();
        return;
      } catch (err) {
        if (err instanceof DuplicateDecisionError) throw err;
        if (this.redis.status === 'ready') throw err; // a real error, not an outage
      }
    }
    if (this.queue.length >= MAX_QUEUED_WRITES) {
      this.queue.shift();
      this.onWriteBehind?.('dropped', 1);
    }
    this.queue.push(op);
    if (this.queue.length === 1) this.onWriteBehind?.('queued', 1);
    if (this.redis.status === 'ready') void this.replay();
  }

  private async replay(): Promise<void> {
    if (this.replaying) return;
    this.replaying = true;
    let n = 0;
    try {
      while (this.queue.length > 0 && this.redis.status === 'ready') {
        const op = this.queue[0];
        try {
          await op?.();
        } catch (err) {
          if (!(err instanceof DuplicateDecisionError) && this.redis.status !== 'ready') break;
        }
        this.queue.shift();
        n++;
      }
    } finally {
      this.replaying = false;
      if (n > 0) this.onWriteBehind?.('replayed', n);
    }
  }

  private k(...parts: string[]): string {
    return this.p + parts.join(':');
  }

  async createSession(rec: SessionRecord): Promise<void> {
    await this.archiveSession(rec);
    return this.write(() => this.doCreateSession(rec));
  }

  /** Copies a session's record into the archive once (see the file comment). */
  private async archiveSession(rec: SessionRecord): Promise<void> {
    if (this.archived.has(rec.id)) return;
    if (!(await this.archive.getSession(rec.id))) {
      await this.archive.createSession({ ...rec, state: null, endedAt: rec.createdAt });
    }
    if (this.archived.size >= MAX_ARCHIVED_IDS) this.archived.clear();
    this.archived.add(rec.id);
  }

  /** Makes sure the archive has rows for these sessions before their samples or narration. */
  private async ensureArchived(ids: Iterable<string>): Promise<void> {
    for (const id of ids) {
      if (this.archived.has(id)) continue;
      const local = await this.archive.getSession(id);
      const rec = local ?? (await this.getSession(id));
      // Unknown everywhere: the archive's own foreign key refuses the rows (the caller's error).
      if (rec) await this.archiveSession(rec);
    }
  }

  private async doCreateSession(rec: SessionRecord): Promise<void> {
    const { state, endedAt, consent, ...fixed } = rec;
    const key = this.k('session', rec.id);
    const m = this.redis
      .multi()
      .hset(
        key,
        'rec',
        JSON.stringify({ ...fixed, token: hashToken(fixed.token) }),
        'consent',
        consent ? 1 : 0,
      );
    // A re-registration (after Redis lost its data) must not roll a newer state back.
    if (state !== null) m.hsetnx(key, 'state', state);
    if (endedAt !== null) m.hsetnx(key, 'endedAt', String(endedAt));
    m.zadd(this.k('sessions'), rec.createdAt, rec.id);
    if (endedAt === null) m.sadd(this.k('sessions', 'active'), rec.id);
    await m.exec();
  }

  async getSession(id: string): Promise<SessionRecord | undefined> {
    const h = await this.redis.hgetall(this.k('session', id));
    return this.toSession(h);
  }

  private toSession(h: Record<string, string>): SessionRecord | undefined {
    if (!h.rec) return undefined;
    const fixed = JSON.parse(h.rec) as StaticSession;
    return {
      ...fixed,
      consent: h.consent === '1',
      endedAt: num(h.endedAt),
      state: h.state ?? null,
    };
  }

  async listSessions(opts: { activeOnly?: boolean } = {}): Promise<SessionRecord[]> {
    const ids = await this.redis.zrange(this.k('sessions'), '0', '-1');
    const active = opts.activeOnly
      ? new Set(await this.redis.smembers(this.k('sessions', 'active')))
      : null;
    const wanted = active ? ids.filter((id) => active.has(id)) : ids;
    if (wanted.length === 0) return [];
    const m = this.redis.multi();
    for (const id of wanted) m.hgetall(this.k('session', id));
    const rows = (await m.exec()) ?? [];
    const out: SessionRecord[] = [];
    for (const [err, h] of rows) {
      const rec = err ? undefined : this.toSession(h as Record<string, string>);
      if (rec && (!opts.activeOnly || rec.endedAt === null)) out.push(rec);
    }
    return out;
  }

  updateSessionState(id: string, state: string): Promise<void> {
    return this.write(() => this.redis.hset(this.k('session', id), 'state', state));
  }

  endSession(id: string, at: number): Promise<void> {
    return this.write(() =>
      this.redis
        .multi()
        .hsetnx(this.k('session', id), 'endedAt', String(at))
        .srem(this.k('sessions', 'active'), id)
        .exec(),
    );
  }

  setSessionConsent(id: string, consent: boolean): Promise<void> {
    return this.write(() => this.redis.hset(this.k('session', id), 'consent', consent ? 1 : 0));
  }

  appendDecision(d: DecisionRecord): Promise<void> {
    return this.write(async () => {
      const added = await this.redis.hsetnx(
        this.k('decisions', d.sessionId),
        String(d.msn),
        JSON.stringify(d),
      );
      // Same contract as SQLite's primary key: a published decision is never rewritten.
      if (added === 0)
        throw new DuplicateDecisionError(`decision ${d.sessionId}/${d.msn} already exists`);
    });
  }

  async listDecisions(sessionId: string): Promise<DecisionRecord[]> {
    const values = await this.redis.hvals(this.k('decisions', sessionId));
    return values.map((v) => JSON.parse(v) as DecisionRecord).sort((a, b) => a.msn - b.msn);
  }

  async appendSamples(samples: StoredSample[]): Promise<void> {
    await this.ensureArchived(new Set(samples.map((s) => s.sessionId)));
    return this.archive.appendSamples(samples);
  }

  countSamples(sessionId: string): Promise<number> {
    return this.archive.countSamples(sessionId);
  }

  listSamples(sessionId: string, opts?: { source?: string }): Promise<StoredSample[]> {
    return this.archive.listSamples(sessionId, opts);
  }

  /** Erases this process's archive and records the erasure in Redis for every other process. */
  async eraseSamples(sessionId: string, source: string, at: number): Promise<number> {
    const n = await this.archive.eraseSamples(sessionId, source, at);
    await this.write(() => this.redis.sadd(this.k('erasures', sessionId), source));
    return n;
  }

  /** Erasures of a session recorded here or by any process of the cluster. */
  async listErasures(sessionId: string): Promise<string[]> {
    const local = await this.archive.listErasures(sessionId);
    const shared = await this.redis.smembers(this.k('erasures', sessionId));
    return [...local, ...shared.filter((s) => !local.includes(s)).sort()];
  }

  /**
   * Erasures recorded in Redis that this process's archive has not applied yet (it was down, or
   * Redis was, when they happened), for sessions the archive holds.
   */
  async pendingErasures(): Promise<Array<{ sessionId: string; source: string }>> {
    const out: Array<{ sessionId: string; source: string }> = [];
    const ids = (await this.archive.listSessions()).map((r) => r.id);
    // One round trip per 500 sessions, not one per session: this runs before the process serves.
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      const m = this.redis.pipeline();
      for (const id of chunk) m.smembers(this.k('erasures', id));
      const rows = (await m.exec()) ?? [];
      for (const [j, id] of chunk.entries()) {
        const [err, shared] = rows[j] ?? [null, []];
        if (err) throw err;
        const sources = shared as string[];
        if (sources.length === 0) continue;
        const local = new Set(await this.archive.listErasures(id));
        for (const source of sources) if (!local.has(source)) out.push({ sessionId: id, source });
      }
    }
    return out;
  }

  purgeSamplesBefore(t: number): Promise<number> {
    return this.archive.purgeSamplesBefore(t);
  }

  async getAgentCursor(agentId: string): Promise<number> {
    return num(await this.redis.get(this.k('agent', agentId))) ?? 0;
  }

  setAgentCursor(agentId: string, seq: number): Promise<void> {
    return this.write(() => this.redis.set(this.k('agent', agentId), String(seq)));
  }

  createShow(rec: ShowRecord): Promise<void> {
    const { endedAt, ...fixed } = rec;
    return this.write(() => {
      const m = this.redis.multi().hset(this.k('show', rec.id), 'rec', JSON.stringify(fixed));
      if (endedAt !== null) m.hsetnx(this.k('show', rec.id), 'endedAt', String(endedAt));
      return m.zadd(this.k('shows'), rec.createdAt, rec.id).exec();
    });
  }

  async getShow(id: string): Promise<ShowRecord | undefined> {
    return this.toShow(await this.redis.hgetall(this.k('show', id)));
  }

  private toShow(h: Record<string, string>): ShowRecord | undefined {
    if (!h.rec) return undefined;
    return { ...(JSON.parse(h.rec) as Omit<ShowRecord, 'endedAt'>), endedAt: num(h.endedAt) };
  }

  async listShows(): Promise<ShowRecord[]> {
    const ids = await this.redis.zrange(this.k('shows'), '0', '-1');
    if (ids.length === 0) return [];
    const m = this.redis.multi();
    for (const id of ids) m.hgetall(this.k('show', id));
    const rows = (await m.exec()) ?? [];
    return rows.flatMap(([err, h]) => {
      const rec = err ? undefined : this.toShow(h as Record<string, string>);
      return rec ? [rec] : [];
    });
  }

  endShow(id: string, at: number): Promise<void> {
    return this.write(() => this.redis.hsetnx(this.k('show', id), 'endedAt', String(at)));
  }

  addSeats(showId: string, seats: string[], at: number): Promise<void> {
    if (seats.length === 0) return Promise.resolve();
    // NX: the first registration time is kept (idempotent).
    return this.write(() =>
      this.redis.zadd(this.k('seats', showId), 'NX', ...seats.flatMap((s) => [at, s])),
    );
  }

  async listSeats(showId: string): Promise<string[]> {
    return this.redis.zrange(this.k('seats', showId), '0', '-1');
  }

  appendVote(rec: VoteRecord): Promise<void> {
    return this.write(() => this.redis.rpush(this.k('votes', rec.showId), JSON.stringify(rec)));
  }

  async listVotes(showId: string): Promise<VoteRecord[]> {
    const rows = await this.redis.lrange(this.k('votes', showId), '0', '-1');
    return rows.map((r) => JSON.parse(r) as VoteRecord);
  }

  appendVoteResult(rec: VoteResultRecord): Promise<void> {
    return this.write(() =>
      this.redis.rpush(this.k('voteresults', rec.showId), JSON.stringify(rec)),
    );
  }

  async listVoteResults(showId: string): Promise<VoteResultRecord[]> {
    const rows = await this.redis.lrange(this.k('voteresults', showId), '0', '-1');
    return rows.map((r) => JSON.parse(r) as VoteResultRecord);
  }

  async appendNarration(rec: NarrationRecord): Promise<void> {
    await this.ensureArchived([rec.sessionId]);
    return this.archive.appendNarration(rec);
  }

  listNarration(sessionId: string): Promise<NarrationRecord[]> {
    return this.archive.listNarration(sessionId);
  }

  /** Closes the archive; the Redis connection belongs to whoever created it. */
  close(): Promise<void> {
    return this.archive.close();
  }
}
