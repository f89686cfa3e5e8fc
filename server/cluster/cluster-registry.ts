/**
 * Which hub process serves which session or show, kept in Redis.
 *
 * A session lives in exactly one process at a time — the one holding its director, signal state
 * and live playlist in memory; a venue show lives with its screen session. The registry records
 * that owner (`owner:<session>` → node id, `owner:show:<show>` → node id) and each node's liveness
 * (`node:<id>` → its internal base URL, with a TTL the node keeps renewing). Something whose
 * owner's node key has expired has no owner: the next process that gets a request for it adopts it
 * from the store.
 */
import type { Redis } from 'ioredis';

/** What the registry routes: a session (key `owner:<id>`) or a show (key `owner:show:<id>`). */
export type OwnedKind = 'session' | 'show';

const ownerSuffix = (kind: OwnedKind, id: string): string =>
  kind === 'session' ? id : `${kind}:${id}`;

export interface OwnerInfo {
  nodeId: string;
  /** Base URL other nodes use to reach the owner (HTTP forwarding). */
  url: string;
}

export interface ClusterRegistryOptions {
  redis: Redis;
  nodeId: string;
  prefix?: string;
  /** Node liveness TTL, ms; the heartbeat renews at a third of it. */
  ttlMs?: number;
}

export class ClusterRegistry {
  readonly nodeId: string;
  private readonly redis: Redis;
  private readonly p: string;
  private readonly ttlMs: number;
  private url = '';
  private owned = new Set<string>();
  private timer: NodeJS.Timeout | null = null;

  constructor(opts: ClusterRegistryOptions) {
    this.redis = opts.redis;
    this.nodeId = opts.nodeId;
    this.p = opts.prefix ?? 'frisson:';
    this.ttlMs = opts.ttlMs ?? 6000;
  }

  /** Starts the heartbeat once this node's URL is known. */
  start(url: string): void {
    this.url = url;
    void this.beat();
    this.timer ??= setInterval(() => void this.beat(), Math.floor(this.ttlMs / 3));
  }

  /** Renews liveness and re-asserts ownership (Redis may have restarted empty). */
  private async beat(): Promise<void> {
    try {
      const m = this.redis.multi().set(`${this.p}node:${this.nodeId}`, this.url, 'PX', this.ttlMs);
      for (const key of this.owned) m.set(`${this.p}owner:${key}`, this.nodeId);
      await m.exec();
    } catch {
      /* Redis unreachable: the next beat retries (see docs/operations.md) */
    }
  }

  /** Records this node as the owner of a session (default) or a show. */
  async claim(id: string, kind: OwnedKind = 'session'): Promise<void> {
    const key = ownerSuffix(kind, id);
    this.owned.add(key);
    await this.redis.set(`${this.p}owner:${key}`, this.nodeId);
  }

  forget(id: string, kind: OwnedKind = 'session'): void {
    this.owned.delete(ownerSuffix(kind, id));
  }

  /** The live owner of a session or show other than this node, or null (none, dead, or us). */
  async remoteOwner(id: string, kind: OwnedKind = 'session'): Promise<OwnerInfo | null> {
    const nodeId = await this.redis.get(`${this.p}owner:${ownerSuffix(kind, id)}`);
    if (!nodeId || nodeId === this.nodeId) return null;
    const url = await this.redis.get(`${this.p}node:${nodeId}`);
    return url ? { nodeId, url } : null;
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    try {
      await this.redis.del(`${this.p}node:${this.nodeId}`);
    } catch {
      /* best effort: the key expires anyway */
    }
  }
}
