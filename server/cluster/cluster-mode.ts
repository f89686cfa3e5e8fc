/**
 * Cluster mode (FRISSON_REDIS_URL): several hub processes behind one address share a Redis.
 *
 * - socket.io's Redis streams adapter carries room emits between processes, so a decision
 *   published by the session's process reaches the session's sockets on every process;
 * - the RedisStore holds live session/show state and decisions, so any process can adopt a
 *   session whose process died;
 * - the ClusterRegistry, SessionLocator and ShowLocator route each request to the process that owns
 *   the session or the venue show (HTTP forwarding, socket event relay).
 *
 * - ClusterPrivacy carries erase and export to every process (each erases its memory, archive and
 *   trace files) and scrubs the adapter's stream, so an erase through any process is complete.
 *
 * Redis clients fail fast while Redis is down (no offline queue, command timeout), so sessions
 * keep publishing from memory; when Redis comes back (possibly empty: `--save ''`) each process
 * re-registers its node, its sessions and their decisions. See docs/operations.md.
 */
import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { Express } from 'express';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Server } from 'socket.io';
import type { TokenAccess } from '../auth/token-access.js';
import type { SessionManager } from '../session/session-manager.js';
import type { ShowManager } from '../show/show-manager.js';
import { RedisStore } from '../store/redis-store.js';
import type { Store } from '../store/store.js';
import { ClusterPrivacy, trimStreams, type LocalPrivacy } from './cluster-privacy.js';
import { ClusterRegistry } from './cluster-registry.js';
import { SessionLocator, type SessionCluster } from './session-locator.js';
import { ShowLocator, type ShowCluster } from './show-locator.js';

/**
 * How long the adapter's Redis stream keeps a message: socket.io's connection-state recovery
 * window (30 s, server/app.ts) plus slack. Past it a message (a live heart rate in a state
 * broadcast) is of no use to anyone and is trimmed, every `STREAM_TRIM_EVERY_MS`.
 */
const STREAM_MAX_AGE_MS = 35_000;
const STREAM_TRIM_EVERY_MS = 5_000;

export interface ClusterModeOptions {
  redisUrl: string;
  /** Stable id of this process in the cluster (default: random per start). */
  nodeId?: string;
  /** Where archival records go (samples, narration): the process's own store. */
  archive: Store;
  log: Logger;
  prefix?: string;
}

export interface ClusterAttachOptions {
  app: Express;
  io: Server;
  sessions: SessionManager;
  shows: ShowManager;
  /** Token checks (a show token also grants its show's screen session). */
  access: Pick<TokenAccess, 'verify'>;
  verifyToken: (id: string, token: string) => void | Promise<void>;
  /** This process's half of erase and export (answers the other processes). */
  privacy?: LocalPrivacy;
  clock?: () => number;
}

export class ClusterMode {
  readonly nodeId: string;
  readonly store: RedisStore;
  readonly registry: ClusterRegistry;
  /** Erase and export across processes (server/cluster/cluster-privacy.ts). */
  readonly privacy: ClusterPrivacy;
  private readonly redis: Redis;
  private readonly pubsub: Redis;
  private readonly log: Logger;
  private sessions: SessionManager | null = null;
  private shows: ShowManager | null = null;
  private showLocator: ShowLocator | null = null;
  private sessionLocator: SessionLocator | null = null;
  private readyOnce = false;
  private trimTimer: NodeJS.Timeout | null = null;
  private trimFailing = false;

  private constructor(opts: ClusterModeOptions, redis: Redis, pubsub: Redis) {
    this.nodeId = opts.nodeId ?? randomUUID();
    this.redis = redis;
    this.pubsub = pubsub;
    this.log = opts.log.child({ node: this.nodeId });
    const prefix = opts.prefix ?? 'frisson:';
    this.store = new RedisStore({
      redis,
      archive: opts.archive,
      prefix,
      onWriteBehind: (event, count) =>
        this.log.warn({ event, count }, 'redis unreachable: store writes behind'),
    });
    this.registry = new ClusterRegistry({ redis, nodeId: this.nodeId, prefix });
    this.privacy = new ClusterPrivacy({
      redis,
      store: this.store,
      nodeId: this.nodeId,
      log: this.log,
    });
    redis.on('ready', () => {
      if (this.readyOnce) void this.reregister();
      this.readyOnce = true;
    });
    redis.on('error', (err: Error) => this.log.warn({ err: err.message }, 'redis'));
    pubsub.on('error', () => undefined);
  }

  /** Connects to Redis (fails when it is unreachable at start: a cluster node needs it once). */
  static async connect(opts: ClusterModeOptions): Promise<ClusterMode> {
    const common = { lazyConnect: true, connectTimeout: 3000 };
    // Store: fail fast while Redis is away instead of queueing behind a publishing session.
    const redis = new Redis(opts.redisUrl, {
      ...common,
      enableOfflineQueue: false,
      commandTimeout: 1000,
      maxRetriesPerRequest: 1,
      retryStrategy: (n) => Math.min(100 * n, 1000),
    });
    const pubsub = new Redis(opts.redisUrl, {
      ...common,
      retryStrategy: (n) => Math.min(100 * n, 1000),
    });
    // Until connected, errors are reported once below, not printed by ioredis per retry.
    let cause: unknown;
    const quiet = (err: Error): void => {
      cause = err;
    };
    redis.on('error', quiet);
    pubsub.on('error', quiet);
    try {
      await Promise.all([redis.connect(), pubsub.connect()]);
    } catch (err) {
      redis.disconnect();
      pubsub.disconnect();
      // ioredis rejects with "Connection is closed."; the socket error says why.
      const why = cause ?? err;
      const reason = (why instanceof Error ? why.message : String(why)).replace(/\.$/, '');
      throw new Error(
        `cannot reach Redis at ${redisAddress(opts.redisUrl)} (FRISSON_REDIS_URL): ${reason}; start it, or unset FRISSON_REDIS_URL to run a single process`,
        { cause: err },
      );
    } finally {
      redis.off('error', quiet);
      pubsub.off('error', quiet);
    }
    return new ClusterMode(opts, redis, pubsub);
  }

  /**
   * Wires the adapter, the session and the show locators; call before routers and namespaces are
   * set up (their middleware must run first).
   */
  attach(o: ClusterAttachOptions): void {
    this.sessions = o.sessions;
    this.shows = o.shows;
    o.io.adapter(
      createAdapter(this.pubsub, {
        blockTimeInMs: 1000,
        heartbeatInterval: 2000,
        heartbeatTimeout: 6000,
      }),
    );
    if (o.privacy) this.privacy.serve(o.io, o.privacy);
    o.sessions.on('created', (s) => void this.registry.claim(s.id).catch(() => undefined));
    o.shows.on('created', (s) => void this.registry.claim(s.id, 'show').catch(() => undefined));
    const shows = new ShowLocator({
      shows: o.shows,
      registry: this.registry,
      verifyToken: (token) => o.access.verify(token),
      store: this.store,
      log: this.log,
    });
    this.showLocator = shows;
    const locator = new SessionLocator({
      io: o.io,
      sessions: o.sessions,
      registry: this.registry,
      verifyToken: async (id, token) => {
        try {
          await o.verifyToken(id, token);
        } catch (err) {
          // A show token grants its show's screen session, whichever process serves the show.
          let showId: string | undefined;
          try {
            const p = o.access.verify(token);
            showId = p.scope === 'show' ? p.id : undefined;
          } catch {
            throw err;
          }
          if (!showId || (await this.store.getShow(showId))?.screenSessionId !== id) throw err;
        }
      },
      adopt: async (id) => ((await shows.adoptScreen(id)) ? undefined : o.sessions.resume(id)),
      log: this.log,
    });
    this.sessionLocator = locator;
    locator.attachHttp(o.app);
    shows.attachHttp(o.app);
    locator.attachSockets();
    shows.attachSeats(o.io);
  }

  /** The hook the viewer hub takes; set by `attach`. */
  get sessionCluster(): SessionCluster | undefined {
    return this.sessionLocator ?? undefined;
  }

  /** The hook the venue namespaces (`/operators`, `/screens`) take; set by `attach`. */
  get showCluster(): ShowCluster | undefined {
    return this.showLocator ?? undefined;
  }

  /** Starts the heartbeat once the server listens (other nodes forward to `url`). */
  start(url: string): void {
    this.registry.start(url);
    if (!this.trimTimer) {
      this.trimTimer = setInterval(() => void this.trim(), STREAM_TRIM_EVERY_MS);
      this.trimTimer.unref();
    }
  }

  /** Drops stream entries older than the recovery window; one log line per failing episode. */
  private async trim(): Promise<void> {
    try {
      await trimStreams(this.redis, STREAM_MAX_AGE_MS);
      this.trimFailing = false;
    } catch (err) {
      if (!this.trimFailing) this.log.warn({ err: String(err) }, 'stream trim failed; retrying');
      this.trimFailing = true;
    }
  }

  /** After Redis came back (maybe empty): re-register this node's sessions and decisions. */
  private async reregister(): Promise<void> {
    const sessions = this.sessions?.list() ?? [];
    let n = 0;
    for (const s of sessions) {
      try {
        await this.store.createSession(s.record);
        await this.registry.claim(s.id);
        for (const seg of s.segments()) {
          const [scene = '', level = ''] = seg.title.split('/');
          await this.store
            .appendDecision({
              sessionId: s.id,
              msn: seg.msn,
              at: Date.now(),
              scene,
              level,
              segmentIndex: -1,
              uri: seg.uri,
              duration: seg.duration,
              discontinuity: seg.discontinuity,
              picker: 'reregistered',
              fallback: false,
              reason: 're-registered after Redis lost its data',
              arousal: 0,
              latencyMs: 0,
            })
            .catch(() => undefined); // already there: decisions are never rewritten
        }
        n++;
      } catch (err) {
        this.log.warn({ err, session: s.id }, 're-registration failed');
      }
    }
    let shows = 0;
    for (const show of this.shows?.list() ?? []) {
      if (show.ended) continue;
      try {
        await this.store.createShow(show.record);
        await this.store.addSeats(
          show.id,
          show.snapshot().seats.map((x) => x.seat),
          show.record.createdAt,
        );
        await this.registry.claim(show.id, 'show');
        shows++;
      } catch (err) {
        this.log.warn({ err, show: show.id }, 'show re-registration failed');
      }
    }
    this.log.info({ sessions: n, shows }, 'redis is back: sessions and shows re-registered');
  }

  async close(): Promise<void> {
    if (this.trimTimer) clearInterval(this.trimTimer);
    this.trimTimer = null;
    await this.registry.close();
    this.redis.disconnect();
    this.pubsub.disconnect();
  }
}

/** host:port of a Redis URL, without credentials (they must not reach a terminal or a log). */
function redisAddress(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '6379'}`;
  } catch {
    return 'the configured URL';
  }
}
