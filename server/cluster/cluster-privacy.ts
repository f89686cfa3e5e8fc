/**
 * Privacy rights across the cluster. In cluster mode a viewer's samples can sit in several places:
 * the memory and SQLite archive of the process that owns the session, the archive of a process
 * that owned it before (adoption after a crash), every process's trace directory, and — while they
 * travel between processes — the socket.io adapter's Redis stream (relayed `sample` events, room
 * broadcasts of the session's state).
 *
 * - `eraseElsewhere`: every other live process erases the target in its own memory, archive and
 *   trace files (`serverSideEmit` over the adapter; each answers what it erased), so an erase sent
 *   to any process reaches the owner and the answer says what was erased on which node;
 * - the erasure itself is recorded in Redis by the RedisStore (`erasures:<id>`), and
 *   `pendingErasures` gives a process that was down during the erase what it must still apply to
 *   its archive when it starts;
 * - `scrubStreams`: the adapter's stream entries that mention the target are deleted (`XDEL`), so
 *   no copy of an erased value stays in Redis once the erase answered;
 * - `samplesElsewhere`: an export gathers the samples every process archived;
 * - `trimStreams`: run periodically by ClusterMode, drops stream entries older than the
 *   connection-recovery window (`MINID`), so a value in flight (a live heart rate in a state
 *   broadcast) stays in Redis for seconds, not for the adapter's 10,000 entries.
 */
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Server } from 'socket.io';
import type { TraceRemoval } from '../session/trace-service.js';
import type { RedisStore } from '../store/redis-store.js';
import { FrissonError } from '../../contracts/errors.js';
import { ERASE_ALL_SOURCES, type StoredSample } from '../store/store.js';

const ERASE_EVENT = 'frisson:privacy-erase';
const EXPORT_EVENT = 'frisson:privacy-export';
const SCAN_BATCH = 500;

/** What to erase or export: one source of a session (`*` = every source; a seat id for a seat). */
export interface PrivacyTarget {
  sessionId: string;
  source: string;
  /** The venue show, for a seat (its queue is the show's). */
  showId?: string;
}

/** What one process erased. */
export interface NodeErase {
  node: string;
  database: { samples: number };
  memory: { samples: number };
  traces: TraceRemoval | null;
}

/** The process-local half of erase and export (server/http/privacy-service.ts). */
export interface LocalPrivacy {
  eraseHere(t: PrivacyTarget): Promise<Omit<NodeErase, 'node'>>;
  samplesHere(t: PrivacyTarget): Promise<StoredSample[]>;
}

export interface ClusterPrivacyOptions {
  redis: Redis;
  store: RedisStore;
  nodeId: string;
  log: Logger;
}

function isTarget(m: unknown): m is PrivacyTarget {
  const t = m as Partial<PrivacyTarget> | null;
  return (
    typeof t?.sessionId === 'string' &&
    typeof t.source === 'string' &&
    (t.showId === undefined || typeof t.showId === 'string')
  );
}

/** Scans every stream key (SCAN … TYPE stream). */
async function streamKeys(redis: Redis): Promise<string[]> {
  const out: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'COUNT', SCAN_BATCH, 'TYPE', 'stream');
    cursor = next;
    out.push(...keys);
  } while (cursor !== '0');
  return out;
}

/**
 * Drops the entries of every stream older than `maxAgeMs` (`XTRIM key MINID <now - maxAgeMs>`);
 * returns how many went. Entries are ids `<ms>-<seq>`, so the age is exact, not approximate.
 *
 * @example
 *   await trimStreams(redis, 35_000); // nothing older than 35 s stays in the adapter's stream
 */
export async function trimStreams(
  redis: Redis,
  maxAgeMs: number,
  now = Date.now(),
): Promise<number> {
  let n = 0;
  for (const key of await streamKeys(redis)) {
    n += await redis.xtrim(key, 'MINID', String(Math.max(0, Math.floor(now - maxAgeMs))));
  }
  return n;
}

export class ClusterPrivacy {
  private readonly o: ClusterPrivacyOptions;
  private io: Server | null = null;

  constructor(opts: ClusterPrivacyOptions) {
    this.o = opts;
  }

  /** This process's node id (how the erase answer names its part). */
  get nodeId(): string {
    return this.o.nodeId;
  }

  /** Answers the other processes' erase and export requests with this process's `local` half. */
  serve(io: Server, local: LocalPrivacy): void {
    this.io = io;
    const on = io.on.bind(io) as (
      ev: string,
      fn: (m: unknown, cb?: (r: unknown) => void) => void,
    ) => void;
    on(ERASE_EVENT, (m, cb) => {
      if (!isTarget(m)) return cb?.(null);
      local.eraseHere(m).then(
        (r) => cb?.({ node: this.o.nodeId, ...r }),
        (err: unknown) => {
          this.o.log.error({ err: String(err), session: m.sessionId }, 'cluster erase failed here');
          cb?.({ node: this.o.nodeId, error: 'erase failed on this node' });
        },
      );
    });
    on(EXPORT_EVENT, (m, cb) => {
      if (!isTarget(m)) return cb?.(null);
      local.samplesHere(m).then(
        (r) => cb?.(r),
        () => cb?.([]),
      );
    });
  }

  /** Every other live process erases `t`; their answers (a failed node says so, and throws). */
  async eraseElsewhere(t: PrivacyTarget): Promise<NodeErase[]> {
    const answers = await this.ask(ERASE_EVENT, t);
    const failed = answers.filter((a) => (a as { error?: unknown } | null)?.error !== undefined);
    if (failed.length > 0) {
      const nodes = failed.map((a) => String((a as { node?: unknown }).node)).join(', ');
      // The parts that worked stay done; an erase is idempotent, so the viewer simply retries.
      throw new FrissonError(
        'FRISSON_ERR_STORE_UNAVAILABLE',
        `the erase failed on node ${nodes}; retry shortly`,
      );
    }
    return answers.filter((a): a is NodeErase => typeof (a as NodeErase | null)?.node === 'string');
  }

  async samplesElsewhere(t: PrivacyTarget): Promise<StoredSample[]> {
    const answers = await this.ask(EXPORT_EVENT, t);
    return answers.flatMap((a) => (Array.isArray(a) ? (a as StoredSample[]) : []));
  }

  /** Erasures recorded in Redis that this process's archive still has to apply. */
  pendingErasures(): Promise<PrivacyTarget[]> {
    return this.o.store.pendingErasures();
  }

  /**
   * Deletes the socket.io adapter's stream entries that carried data of `t` (relayed samples,
   * state broadcasts): every stream key is scanned, entries mentioning the session (and, for one
   * seat, that seat) are removed with XDEL. Returns how many entries were deleted.
   */
  async scrubStreams(t: PrivacyTarget, alsoIds: string[] = []): Promise<number> {
    const { redis } = this.o;
    const ids = [t.sessionId, ...alsoIds];
    const seat = t.source === ERASE_ALL_SOURCES ? null : JSON.stringify(t.source);
    const mentions = (text: string): boolean =>
      ids.some((id) => text.includes(id)) && (seat === null || text.includes(seat));
    let deleted = 0;
    {
      for (const key of await streamKeys(redis)) {
        let start = '-';
        for (;;) {
          const entries = await redis.xrange(key, start, '+', 'COUNT', SCAN_BATCH);
          const doomed = entries
            .filter(([, fields]) => mentions(fields.join('\n')))
            .map(([id]) => id);
          if (doomed.length > 0) deleted += await redis.xdel(key, ...doomed);
          if (entries.length < SCAN_BATCH) break;
          start = `(${entries[entries.length - 1]?.[0] ?? '0-0'}`;
        }
      }
    }
    return deleted;
  }

  private async ask(event: string, t: PrivacyTarget): Promise<unknown[]> {
    const io = this.io;
    if (!io) return [];
    return new Promise((resolve) => {
      io.serverSideEmit(event, t, (_err: unknown, responses: unknown) =>
        resolve(Array.isArray(responses) ? responses : []),
      );
    });
  }
}
