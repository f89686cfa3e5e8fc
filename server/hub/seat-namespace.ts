/**
 * Hub side of the venue sensor-agent protocol (socket.io namespace `/seats`, protocol in
 * sensors/agent/agent-protocol.ts).
 *
 * - Handshake: `auth.token` must pass `deps.authorize`, else the connection is refused with
 *   FRISSON_ERR_UNAUTHORIZED.
 * - `hello` returns the agent's stored cursor so a restarted agent continues its numbering.
 * - `batch` is validated with zod at this edge. Batches of one agent are processed strictly one
 *   after another; a batch with seq ≤ the stored cursor (`store.getAgentCursor`) is a resend and is
 *   acknowledged without being processed again. Otherwise samples with impossible values (outside
 *   the protocol's BPM/RR edge limits) are dropped individually and counted, the rest go to
 *   `deps.onSamples`, then the cursor is stored and `{ ok: true, ackedThrough: seq }` sent.
 *
 * Fast path: when `deps.cursors` knows the agent's cursor synchronously (an in-memory cache, e.g.
 * server/show/agent-cursor-cache.ts), no batch of that agent is in flight and `onSamples` returns
 * synchronously, the batch is processed and acknowledged in the same tick — the same steps in the
 * same order, without a promise chain per batch (at 8,000 batches/s the chain's promises and
 * microtasks were a measurable share of the hub's CPU and garbage).
 *
 * Delivery is exactly once across network outages and hub restarts as long as `onSamples` and
 * `setAgentCursor` are durable together (the same transaction, or `onSamples` writing the batch
 * with its seq as the fixture hub in test/fixtures/sensors does); with an independent store a hard
 * crash between the two can repeat one batch (at-least-once), never lose it.
 */
import type { Server } from 'socket.io';
import type { HeartSample } from '../../sensors/signal/signal-types.js';
import {
  BatchSchema,
  HelloSchema,
  SEAT_NAMESPACE,
  type BatchAck,
  type HelloAck,
} from '../../sensors/agent/agent-protocol.js';
import { FrissonError, toWireError, type ErrorCode } from '../errors.js';
import { BPM_MAX, BPM_MIN, RR_MAX_MS, RR_MIN_MS } from '../protocol.js';
import type { Store } from '../store/store.js';

export type SeatSample = HeartSample & { seat: string };

export interface SeatNamespaceDeps {
  /** Only the agent cursor is used: any full Store fits. */
  store: Pick<Store, 'getAgentCursor' | 'setAgentCursor'>;
  /** Receives the accepted samples of each new batch, in order. */
  onSamples(samples: SeatSample[], meta: { agentId: string; seq: number }): void | Promise<void>;
  authorize(token: string): boolean;
  /** Per-agent stats reported with each batch (buffer level, dropped counts). */
  onAgentStats?(agentId: string, stats: { buffered: number; dropped: number }): void;
  /**
   * Synchronous view of the same cursors as `store` (optional): `peek` returns the cursor when it
   * is known without I/O, `advance` records a processed batch (and persists it as `store` would).
   */
  cursors?: {
    peek(agentId: string): number | undefined;
    advance(agentId: string, seq: number): void;
  };
}

const wire = (code: ErrorCode, message?: string): { code: string; message: string } =>
  new FrissonError(code, message).toWire();

function plausible(s: SeatSample): boolean {
  if (s.contact === false) return true; // values of a seat without contact are not used
  if (s.bpm !== undefined && (s.bpm < BPM_MIN || s.bpm > BPM_MAX)) return false;
  if (s.rr?.some((v) => v < RR_MIN_MS || v > RR_MAX_MS)) return false;
  if (s.eda !== undefined && (s.eda < 0 || s.eda > 100)) return false;
  return true;
}

/**
 * @example
 * attachSeatNamespace(io, {
 *   store,
 *   authorize: (token) => token === cfg.venueToken,
 *   onSamples: (samples) => shows.ingestSeatSamples(samples),
 * });
 */
export function attachSeatNamespace(io: Server, deps: SeatNamespaceDeps): { close(): void } {
  const nsp = io.of(SEAT_NAMESPACE);
  // Per-agent processing chains (per attached namespace, not module state).
  const chains = new Map<string, Promise<unknown>>();

  nsp.use((socket, next) => {
    const token: unknown = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    let okToken: boolean;
    try {
      okToken = typeof token === 'string' && token.length <= 512 && deps.authorize(token);
    } catch {
      okToken = false;
    }
    if (okToken) return next();
    const err = wire('FRISSON_ERR_UNAUTHORIZED');
    next(Object.assign(new Error(err.message), { data: err }));
  });

  const serial = <T>(agentId: string, job: () => Promise<T>): Promise<T> => {
    const prev = chains.get(agentId) ?? Promise.resolve();
    const run = prev.then(job, job);
    const tail = run.catch(() => undefined);
    chains.set(agentId, tail);
    void tail.then(() => {
      if (chains.get(agentId) === tail) chains.delete(agentId);
    });
    return run;
  };

  nsp.on('connection', (socket) => {
    // A venue holds thousands of seat sockets for hours: drop the reference to the upgrade request
    // (headers, parser state) that engine.io keeps for the connection's lifetime; nothing here reads
    // it after the handshake above (socket.io's documented memory saving, docs "Memory usage").
    (socket.conn as { request: unknown }).request = null;
    socket.on('hello', (payload: unknown, ack: unknown) => {
      const reply = (typeof ack === 'function' ? ack : () => undefined) as (r: HelloAck) => void;
      const p = HelloSchema.safeParse(payload);
      if (!p.success) return reply({ ok: false, error: wire('FRISSON_ERR_INVALID_PAYLOAD') });
      deps.store.getAgentCursor(p.data.agentId).then(
        (cursor) => reply({ ok: true, cursor }),
        (err: unknown) => reply({ ok: false, error: toWireError(err) }),
      );
    });

    socket.on('batch', (payload: unknown, ack: unknown) => {
      const reply = (typeof ack === 'function' ? ack : () => undefined) as (r: BatchAck) => void;
      const p = BatchSchema.safeParse(payload);
      if (!p.success) {
        const detail = p.error.issues
          .slice(0, 3)
          .map((i) => `${i.path.join('.')}: ${i.message}`)
          .join('; ');
        return reply({ ok: false, error: wire('FRISSON_ERR_INVALID_PAYLOAD', detail) });
      }
      const { agentId, seq, samples, stats } = p.data;
      if (stats) deps.onAgentStats?.(agentId, stats);
      const known = chains.has(agentId) ? undefined : deps.cursors?.peek(agentId);
      if (known !== undefined && deps.cursors) {
        if (seq <= known) return reply({ ok: true, ackedThrough: known, duplicate: true });
        const all = samples as SeatSample[];
        // Copy only when something must be dropped (nearly every batch is all plausible).
        const accepted = all.every(plausible) ? all : all.filter(plausible);
        const rejected = samples.length - accepted.length;
        const done: BatchAck = {
          ok: true,
          ackedThrough: seq,
          ...(rejected > 0 ? { rejectedSamples: rejected } : {}),
        };
        let pending: void | Promise<void>;
        try {
          pending = deps.onSamples(accepted, { agentId, seq });
        } catch (err) {
          return reply({ ok: false, error: toWireError(err) });
        }
        if (pending === undefined) {
          deps.cursors.advance(agentId, seq);
          return reply(done);
        }
        // onSamples went async: finish in the agent's chain so later batches wait for it.
        const cursors = deps.cursors;
        serial(agentId, async () => {
          await pending;
          cursors.advance(agentId, seq);
          return done;
        }).then(reply, (err: unknown) => reply({ ok: false, error: toWireError(err) }));
        return;
      }
      serial(agentId, async () => {
        const cursor = await deps.store.getAgentCursor(agentId);
        if (seq <= cursor) return { ok: true as const, ackedThrough: cursor, duplicate: true };
        const accepted = (samples as SeatSample[]).filter(plausible);
        await deps.onSamples(accepted, { agentId, seq });
        await deps.store.setAgentCursor(agentId, seq);
        const rejected = samples.length - accepted.length;
        return {
          ok: true as const,
          ackedThrough: seq,
          ...(rejected > 0 ? { rejectedSamples: rejected } : {}),
        };
      }).then(reply, (err: unknown) => reply({ ok: false, error: toWireError(err) }));
    });
  });

  return {
    close() {
      nsp.removeAllListeners('connection');
      nsp.disconnectSockets(true);
    },
  };
}
