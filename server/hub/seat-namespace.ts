/**
 * Hub side of the venue sensor-agent protocol (socket.io namespace `/seats`, protocol in
 * contracts/wire.ts).
 *
 * - Handshake: `auth.token` must pass `deps.authorize`, else the connection is refused with
 *   FRISSON_ERR_UNAUTHORIZED.
 * - `hello` returns the agent's stored cursor so a restarted agent continues its numbering.
 * - Every event passes the one edge (inbound-edge.ts): rate limit per seat (or per show for a
 *   show-wide agent), zod, handler, coded ack.
 * - `batch` is validated with zod at that edge. Batches of one agent are processed strictly one
 *   after another; a batch with seq ≤ the stored cursor (`store.getAgentCursor`) is a resend and is
 *   acknowledged without being processed again. Otherwise samples that fail `seatSampleUsable`
 *   (a value outside the edge limits of contracts/limits.ts, or no heart value while in contact)
 *   are dropped individually and counted, the rest go to
 *   `deps.onSamples`, then the cursor is stored and `{ ok: true, ackedThrough: seq }` sent.
 *
 * Fast path: when `deps.cursors` holds the agent's cursor in memory (a `CursorSlot`, e.g. from
 * agent-cursor-cache.ts), no batch of that agent is in flight and `onSamples` returns
 * synchronously, the batch is processed in the same tick — the same steps in the same order,
 * without a promise chain per batch (at 8,000 batches/s the chain's promises and microtasks were a
 * measurable share of the hub's CPU and garbage). The connection keeps the agent's scoped id and
 * cursor slot from its last batch, so a batch does no map lookups either.
 *
 * Acks: every `batch` reply (ok, duplicate or error) is queued in one `AckCoalescer` and written at
 * the end of the event-loop iteration with the other seats' acks (ack-coalescer.ts: one wake-up of
 * the agents' side per burst instead of one per batch), in order, after the cursor advanced.
 *
 * `deps.connect` binds each connection once (after `authorize`): it scopes the agent ids that
 * connection sends (e.g. prefixed with the show its token is for) and returns a binding handed to
 * `onSamples` with every batch, so the receiver never trusts anything the agent claims.
 *
 * Delivery is exactly once across network outages and hub restarts as long as `onSamples` and
 * `setAgentCursor` are durable together (the same transaction, or `onSamples` writing the batch
 * with its seq as the fixture hub in test/fixtures/sensors does); with an independent store a hard
 * crash between the two can repeat one batch (at-least-once), never lose it.
 */
import type { Namespace, Server, Socket } from 'socket.io';
import type { z } from 'zod';
import { FrissonError, type ErrorCode, type WireError } from '../../contracts/errors.js';
import {
  BatchSchema,
  HelloSchema,
  SEAT_NAMESPACE,
  seatSampleUsable as plausible,
  type BatchAck,
  type SeatSample,
} from '../../contracts/wire.js';
import type { HubObserver } from '../metrics/frisson-metrics.js';
import type { Store } from '../store/store.js';
import { AckCoalescer } from './ack-coalescer.js';
import { closing } from './hub-edge.js';
import { ListenerSet, type HubController } from './hub-controller.js';
import { edgeEvent, InboundEdge, type AckResult } from './inbound-edge.js';
import { KeyedTokenBuckets, type TokenBucketOptions } from './rate-limiter.js';

/** A live handle on one agent's cursor, held in memory (see `SeatNamespaceDeps.cursors`). */
export interface CursorSlot {
  readonly agentId: string;
  readonly seq: number;
  /** False once the holder of the cursors dropped it (evicted, closed): ask `slot()` again. */
  readonly live: boolean;
  /** Records a processed batch (persisted as `store.setAgentCursor` would). */
  advance(seq: number): void;
}

/** What `deps.connect` returns for one agent connection. */
export interface SeatConnection<B> {
  /** The id an agent's own `agentId` is kept under (cursor, `onSamples`). */
  scope(agentId: string): string;
  /** Handed to `onSamples` with every batch of this connection. */
  binding: B;
  /** The key its rate limit is kept under (default: the socket, for tests and fixtures). */
  rateKey?: string;
}

export interface SeatNamespaceDeps<B = undefined> {
  /** Only the agent cursor is used: any full Store fits. */
  store: Pick<Store, 'getAgentCursor' | 'setAgentCursor'>;
  /** Receives the accepted samples of each new batch, in order. */
  onSamples(
    samples: SeatSample[],
    meta: { agentId: string; seq: number; binding: B | undefined },
  ): void | Promise<void>;
  authorize(token: string): boolean;
  /** Binds an authorized connection (optional); `null` refuses it (disconnected). */
  connect?(socket: Socket): SeatConnection<B> | null;
  /** Per-agent stats reported with each batch (buffer level, dropped counts). */
  onAgentStats?(agentId: string, stats: { buffered: number; dropped: number }): void;
  /**
   * Synchronous view of the same cursors as `store` (optional): `slot` returns the agent's cursor
   * handle when it is known without I/O.
   */
  cursors?: { slot(agentId: string): CursorSlot | undefined };
  /** Token bucket per connection key (`SeatConnection.rateKey`); none when absent. */
  rate?: TokenBucketOptions;
  /** Runs first on every event (e.g. token expiry): a thrown coded error is the ack, and
   * FRISSON_ERR_TOKEN_EXPIRED also disconnects the agent once the ack is written. */
  guard?: (ctx: { binding: B | undefined }) => void;
  /** Told when a connection is authorised and bound (admission.ts). */
  onAuthenticated?: (socket: Socket) => void;
  observer?: HubObserver;
  clock?: () => number;
}

const wire = (code: ErrorCode, message?: string): WireError =>
  new FrissonError(code, message).toWire();

function allPlausible(samples: SeatSample[]): boolean {
  for (const s of samples) if (!plausible(s)) return false;
  return true;
}

/** One agent connection's state, kept from batch to batch. */
interface SeatCtx<B> {
  binding: B | undefined;
  socket: Socket;
  /** The agent's scoped id from its raw one (the same string object while it does not change). */
  scoped(raw: string): string;
  /** The agent's cursor slot from its last batch. */
  slot: CursorSlot | undefined;
}

/**
 * The `/seats` namespace as a hub controller (hub-controller.ts). Its events pass the one edge
 * (inbound-edge.ts) with a rate limit per connection key (`SeatConnection.rateKey`: the seat, or
 * the show for a show-wide agent), never per socket.
 */
export class SeatNamespace<B = undefined> implements HubController {
  readonly namespace = SEAT_NAMESPACE;
  private readonly nsp: Namespace;
  private readonly deps: SeatNamespaceDeps<B>;
  /** Per-agent processing chains. */
  private readonly chains = new Map<string, Promise<unknown>>();
  private readonly acks = new AckCoalescer();
  private readonly edge: InboundEdge<SeatCtx<B>>;
  private readonly listeners = new ListenerSet();
  private listening = false;

  constructor(io: Server, deps: SeatNamespaceDeps<B>) {
    this.nsp = io.of(SEAT_NAMESPACE);
    this.deps = deps;
    this.edge = new InboundEdge<SeatCtx<B>>({
      namespace: SEAT_NAMESPACE,
      limits: deps.rate ? new KeyedTokenBuckets(deps.rate) : null,
      ...(deps.clock ? { clock: deps.clock } : {}),
      ...(deps.observer ? { observer: deps.observer } : {}),
      ...(deps.guard ? { guard: deps.guard } : {}),
      onRefused: (ctx, error) => {
        if (error.code !== 'FRISSON_ERR_TOKEN_EXPIRED') return;
        this.acks.flush();
        ctx.socket.disconnect();
      },
      // Every reply goes through the coalescer (in order), written at the end of this event-loop
      // iteration together with the other seats' acks.
      replier: (ack) => (r) => this.acks.send(ack, r),
      events: {
        hello: edgeEvent({
          schema: HelloSchema,
          handle: (ctx, d) =>
            deps.store
              .getAgentCursor(ctx.scoped(d.agentId))
              .then((cursor) => ({ ok: true, cursor })),
        }),
        batch: edgeEvent({ schema: BatchSchema, handle: (ctx, d) => this.onBatch(ctx, d) }),
      },
    });
    this.registerListeners();
  }

  registerListeners(): void {
    if (this.listening) return;
    this.listening = true;
    // socket.io has no way to remove a middleware: it refuses (coded) once unregistered.
    this.nsp.use((socket, next) => {
      if (!this.listening) return next(closing());
      const token: unknown = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
      let okToken: boolean;
      try {
        okToken = typeof token === 'string' && token.length <= 512 && this.deps.authorize(token);
      } catch {
        okToken = false;
      }
      if (okToken) return next();
      const err = wire('FRISSON_ERR_UNAUTHORIZED');
      next(Object.assign(new Error(err.message), { data: err }));
    });
    const onConnection = (socket: Socket): void => this.onConnection(socket);
    this.nsp.on('connection', onConnection);
    this.listeners.add(() => this.nsp.off('connection', onConnection));
  }

  unregisterListeners(): void {
    this.listening = false;
    this.listeners.clear();
  }

  destroy(): void {
    this.acks.flush();
    this.unregisterListeners();
    this.nsp.disconnectSockets(true);
  }

  /** The same as `destroy` (the name the fixture hubs use). */
  close(): void {
    this.destroy();
  }

  private serial<T>(agentId: string, job: () => Promise<T>): Promise<T> {
    const chains = this.chains;
    const prev = chains.get(agentId) ?? Promise.resolve();
    const run = prev.then(job, job);
    const tail = run.catch(() => undefined);
    chains.set(agentId, tail);
    void tail.then(() => {
      if (chains.get(agentId) === tail) chains.delete(agentId);
    });
    return run;
  }

  private onConnection(socket: Socket): void {
    let conn: SeatConnection<B> | null = null;
    if (this.deps.connect) {
      try {
        conn = this.deps.connect(socket);
      } catch {
        conn = null;
      }
      if (!conn) return void socket.disconnect(true);
    }
    // A venue holds thousands of seat sockets for hours: drop the reference to the upgrade request
    // (headers, parser state) that engine.io keeps for the connection's lifetime; nothing here reads
    // it after the handshake above (socket.io's documented memory saving, docs "Memory usage").
    (socket.conn as { request: unknown }).request = null;
    this.deps.onAuthenticated?.(socket);
    // An agent sends the same agentId in every batch: its scoped id (the same string object, whose
    // hash is cached) and its cursor slot are kept from the last batch.
    let lastRaw: string | null = null;
    let lastId = '';
    const ctx: SeatCtx<B> = {
      binding: conn?.binding,
      socket,
      slot: undefined,
      scoped: (raw) => {
        if (raw !== lastRaw) {
          lastRaw = raw;
          lastId = conn ? conn.scope(raw) : raw;
          ctx.slot = undefined;
        }
        return lastId;
      },
    };
    const key = conn?.rateKey ?? `socket:${socket.id}`;
    this.edge.bind(
      socket,
      () => ctx,
      () => key,
    );
  }

  private onBatch(
    ctx: SeatCtx<B>,
    batch: z.infer<typeof BatchSchema>,
  ): AckResult | Promise<AckResult> {
    const { deps, chains } = this;
    const { seq, stats, samples } = batch;
    const binding = ctx.binding;
    const agentId = ctx.scoped(batch.agentId);
    if (stats) deps.onAgentStats?.(agentId, stats);
    const inFlight = chains.size > 0 && chains.has(agentId);
    if (deps.cursors && !inFlight && !ctx.slot?.live) ctx.slot = deps.cursors.slot(agentId);
    const held = !inFlight && ctx.slot?.live ? ctx.slot : undefined;
    if (held) {
      if (seq <= held.seq) return { ok: true, ackedThrough: held.seq, duplicate: true };
      // Copy only when something must be dropped (nearly every batch is all plausible).
      const accepted = allPlausible(samples) ? samples : samples.filter(plausible);
      const rejected = samples.length - accepted.length;
      const done: BatchAck = { ok: true, ackedThrough: seq };
      if (rejected > 0) done.rejectedSamples = rejected;
      const pending = deps.onSamples(accepted, { agentId, seq, binding });
      if (pending === undefined) {
        held.advance(seq);
        return done;
      }
      // onSamples went async: finish in the agent's chain so later batches wait for it.
      return this.serial(agentId, async () => {
        await pending;
        held.advance(seq);
        return done;
      });
    }
    return this.serial(agentId, async () => {
      const cursor = await deps.store.getAgentCursor(agentId);
      if (seq <= cursor) return { ok: true as const, ackedThrough: cursor, duplicate: true };
      const accepted = samples.filter(plausible);
      await deps.onSamples(accepted, { agentId, seq, binding });
      await deps.store.setAgentCursor(agentId, seq);
      const rejected = samples.length - accepted.length;
      return {
        ok: true as const,
        ackedThrough: seq,
        ...(rejected > 0 ? { rejectedSamples: rejected } : {}),
      };
    });
  }
}

/**
 * @example
 * attachSeatNamespace(io, {
 *   store,
 *   authorize: (token) => token === cfg.venueToken,
 *   onSamples: (samples) => shows.ingestSeatSamples(samples),
 * });
 */
export function attachSeatNamespace<B = undefined>(
  io: Server,
  deps: SeatNamespaceDeps<B>,
): SeatNamespace<B> {
  return new SeatNamespace(io, deps);
}
