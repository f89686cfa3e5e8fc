/**
 * The one edge every inbound socket event passes, on every namespace (viewer `/`, `/seats`,
 * `/screens`, `/operators`) and for events relayed from another cluster process alike:
 *
 *   rate limit → zod → limits → handler → coded ack
 *
 * - rate limit: a token bucket per key (session, seat, show: `KeyedTokenBuckets`), never per
 *   socket, so opening more sockets buys no budget; over it the event is acked
 *   FRISSON_ERR_RATE_LIMITED before its payload is even parsed;
 * - zod: the event's schema; a failure is FRISSON_ERR_INVALID_PAYLOAD (or _PAYLOAD_TOO_LARGE)
 *   with the issue paths as details;
 * - limits: checks the schema cannot express (physiological limits, contracts/limits.ts);
 * - handler: returns the ack or a promise of it, or throws a coded `FrissonError`;
 * - coded ack: exactly one reply per event, `{ ok: true, … }` or `{ ok: false, error }`; nothing
 *   thrown ever reaches socket.io (an uncoded throw is FRISSON_ERR_INTERNAL).
 *
 * A cluster relay enters at `run` on the owner: the rate limit was taken by the process the client
 * speaks to, the schema, limits and handler run again where the state lives.
 *
 * @example
 *   const edge = new InboundEdge<Ctx>({
 *     namespace: '/',
 *     limits: new KeyedTokenBuckets({ ratePerSecond: 50, burst: 100 }),
 *     events: { sample: edgeEvent({ schema: SampleSchema, handle: (ctx, s) => onSample(ctx, s) }) },
 *   });
 *   edge.bind(socket, () => ({ socket }), () => `session:${socket.data.sessionId}`);
 */
import type { z } from 'zod';
import { FrissonError, toWireError, type WireError } from '../../contracts/errors.js';
import type { AckResult } from '../cluster/forwarding.js';
import type { HubObserver } from '../metrics/frisson-metrics.js';
import { invalidPayload, rateLimited, safeAck } from './hub-edge.js';
import type { KeyedTokenBuckets } from './rate-limiter.js';

export type { AckResult } from '../cluster/forwarding.js';

/** One event of a namespace: its schema, its extra limits and its handler. */
export interface EdgeEvent<C, T> {
  readonly schema: z.ZodType<T>;
  /** Checks after the schema; a coded error refuses the event (e.g. heart values out of range). */
  readonly limits?: (data: T) => FrissonError | null;
  /** Runs the event: the ack, a promise of it, or a thrown coded error. */
  readonly handle: (ctx: C, data: T) => AckResult | Promise<AckResult>;
}

/** Types one event (its `T` inferred from the schema) for an `InboundEdge`'s event table. */
export function edgeEvent<C, T>(e: EdgeEvent<C, T>): EdgeEvent<C, unknown> {
  return e as unknown as EdgeEvent<C, unknown>;
}

export interface InboundEdgeOptions<C> {
  /** The namespace, as metrics name it (`/`, `/seats`, …). */
  namespace: string;
  events: Readonly<Record<string, EdgeEvent<C, unknown>>>;
  /** The keyed rate limit; null: none (tests, the echo server). */
  limits: KeyedTokenBuckets | null;
  /** Runs first on every event (e.g. token expiry); a thrown coded error is the ack. */
  guard?: (ctx: C) => void;
  /** Called after a refusal's ack is written (e.g. disconnect on FRISSON_ERR_TOKEN_EXPIRED). */
  onRefused?: (ctx: C, error: WireError) => void;
  /** How an ack is written (default: the socket.io callback, if the client sent one). */
  replier?: (ack: unknown) => (res: AckResult) => void;
  observer?: HubObserver;
  clock?: () => number;
}

/** What `bind` needs of a socket (method syntax: any socket.io socket, whatever its event maps). */
export interface EdgeSocket {
  on(event: string, fn: (payload: unknown, ack: unknown) => void): unknown;
  off(event: string, fn: (payload: unknown, ack: unknown) => void): unknown;
}

const fail = (err: unknown): AckResult => ({ ok: false, error: toWireError(err) });

export class InboundEdge<C> {
  private readonly o: InboundEdgeOptions<C>;
  private readonly clock: () => number;

  constructor(opts: InboundEdgeOptions<C>) {
    this.o = opts;
    this.clock = opts.clock ?? Date.now;
  }

  /** The events this edge answers. */
  get events(): string[] {
    return Object.keys(this.o.events);
  }

  /**
   * Receives one event from a client: rate limit under `key`, then `run`. Replies exactly once
   * and never throws.
   */
  receive(event: string, payload: unknown, ack: unknown, ctx: C, key: string): void {
    const reply = this.o.replier ? this.o.replier(ack) : (safeAck(ack) as (r: AckResult) => void);
    this.o.observer?.event(this.o.namespace, event);
    if (this.o.limits && !this.o.limits.take(key, this.clock())) {
      this.o.observer?.rateLimited(this.o.namespace);
      return reply({ ok: false, error: rateLimited() });
    }
    const done = (r: AckResult): void => {
      reply(r);
      if (!r.ok) this.o.onRefused?.(ctx, r.error);
    };
    const res = this.run(event, payload, ctx);
    if (res instanceof Promise) void res.then(done);
    else done(res);
  }

  /**
   * zod → limits → handler → coded ack, without the rate limit (taken by `receive`, or by the
   * cluster process the client speaks to). Synchronous when the handler is; never rejects.
   */
  run(event: string, payload: unknown, ctx: C): AckResult | Promise<AckResult> {
    const spec = Object.hasOwn(this.o.events, event) ? this.o.events[event] : undefined;
    if (!spec) return { ok: false, error: new FrissonError('FRISSON_ERR_NOT_FOUND').toWire() };
    try {
      this.o.guard?.(ctx);
      const parsed = spec.schema.safeParse(payload);
      if (!parsed.success) return { ok: false, error: invalidPayload(payload, parsed.error) };
      const refused = spec.limits?.(parsed.data);
      if (refused) return { ok: false, error: refused.toWire() };
      const res = spec.handle(ctx, parsed.data);
      return res instanceof Promise ? res.catch(fail) : res;
    } catch (err) {
      return fail(err);
    }
  }

  /**
   * Listens to every event of this edge on `socket`; `ctx` and `key` are read per event (a `join`
   * changes both). Returns the function that stops listening.
   */
  bind(socket: EdgeSocket, ctx: () => C, key: () => string): () => void {
    const listeners = this.events.map((event) => {
      const fn = (payload: unknown, ack: unknown): void =>
        this.receive(event, payload, ack, ctx(), key());
      socket.on(event, fn);
      return [event, fn] as const;
    });
    return () => {
      for (const [event, fn] of listeners) socket.off(event, fn);
    };
  }
}
