/**
 * Cluster mode (FRISSON_REDIS_URL): several hub processes behind one address share a Redis.
 *
 * - socket.io's Redis streams adapter carries room emits between processes, so a decision
 *   published by the session's process reaches the session's sockets on every process;
 * - the RedisStore holds live session/show state and decisions, so any process can adopt a
 *   session whose process died;
 * - the ClusterRegistry and SessionLocator route each request to the process that owns the
 *   session (HTTP forwarding, socket event relay).
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
import type { SessionManager } from '../session/session-manager.js';
import { RedisStore } from '../store/redis-store.js';
import type { Store } from '../store/store.js';
import { ClusterRegistry } from './cluster-registry.js';
import { SessionLocator } from './session-locator.js';

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
  verifyToken: (id: string, token: string) => void | Promise<void>;
  clock?: () => number;
}

export class ClusterMode {
  readonly nodeId: string;
  readonly store: RedisStore;
  readonly registry: ClusterRegistry;
  private readonly redis: Redis;
  private readonly pubsub: Redis;
  private readonly log: Logger;
  private sessions: SessionManager | null = null;
  private readyOnce = false;

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
    await Promise.all([redis.connect(), pubsub.connect()]);
    return new ClusterMode(opts, redis, pubsub);
  }

  /** Wires the adapter and the session locator; call before routers and namespaces are set up. */
  attach(o: ClusterAttachOptions): void {
    this.sessions = o.sessions;
    o.io.adapter(
      createAdapter(this.pubsub, {
        blockTimeInMs: 1000,
        heartbeatInterval: 2000,
        heartbeatTimeout: 6000,
      }),
    );
    o.sessions.on('created', (s) => void this.registry.claim(s.id).catch(() => undefined));
    const locator = new SessionLocator({
      io: o.io,
      sessions: o.sessions,
      registry: this.registry,
      verifyToken: o.verifyToken,
      log: this.log,
      ...(o.clock ? { clock: o.clock } : {}),
    });
    locator.attachHttp(o.app);
    locator.attachSockets();
  }

  /** Starts the heartbeat once the server listens (other nodes forward to `url`). */
  start(url: string): void {
    this.registry.start(url);
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
    this.log.info({ sessions: n }, 'redis is back: sessions re-registered');
  }

  async close(): Promise<void> {
    await this.registry.close();
    this.redis.disconnect();
    this.pubsub.disconnect();
  }
}
