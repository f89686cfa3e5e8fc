/**
 * Hub side of the venue sensor-agent protocol (socket.io namespace `/seats`, protocol in
 * contracts/wire.ts).
 *
 * - Handshake: `auth.token` must pass `deps.authorize`, else the connection is refused with
 *   FRISSON_ERR_UNAUTHORIZED.
 * - `hello` returns the agent's stored cursor so a restarted agent continues its numbering.
 * - `batch` is validated with zod at this edge. Batches of one agent are processed strictly one
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
import type { Server, Socket } from 'socket.io';
import { FrissonError, toWireError, type ErrorCode } from '../../contracts/errors.js';
import {
  BatchSchema,
  HelloSchema,
  SEAT_NAMESPACE,
  seatSampleUsable as plausible,
  type BatchAck,
  type HelloAck,
  type SeatSample,
} from '../../contracts/wire.js';
import type { Store } from '../store/store.js';
import { AckCoalescer } from './ack-coalescer.js';

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
}

const wire = (code: ErrorCode, message?: string): { code: string; message: string } =>
  new FrissonError(code, message).toWire();

function allPlausible(samples: SeatSample[]): boolean {
  for (const s of samples) if (!plausible(s)) return false;
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
export function attachSeatNamespace<B = undefined>(
  io: Server,
  deps: SeatNamespaceDeps<B>,
): { close(): void } {
  const nsp = io.of(SEAT_NAMESPACE);
  // Per-agent processing chains (per attached namespace, not module state).
  const chains = new Map<string, Promise<unknown>>();
  const acks = new AckCoalescer();

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
    let conn: SeatConnection<B> | null = null;
    if (deps.connect) {
      try {
        conn = deps.connect(socket);
      } catch {
        conn = null;
      }
      if (!conn) return void socket.disconnect(true);
    }
    const binding = conn?.binding;
    // A venue holds thousands of seat sockets for hours: drop the reference to the upgrade request
    // (headers, parser state) that engine.io keeps for the connection's lifetime; nothing here reads
    // it after the handshake above (socket.io's documented memory saving, docs "Memory usage").
    (socket.conn as { request: unknown }).request = null;
    // An agent sends the same agentId in every batch: its scoped id (the same string object, whose
    // hash is cached) and its cursor slot are kept from the last batch.
    let lastRaw: string | null = null;
    let lastId = '';
    let slot: CursorSlot | undefined;
    const scoped = (raw: string): string => {
      if (raw !== lastRaw) {
        lastRaw = raw;
        lastId = conn ? conn.scope(raw) : raw;
        slot = undefined;
      }
      return lastId;
    };

    socket.on('hello', (payload: unknown, ack: unknown) => {
      const reply = (typeof ack === 'function' ? ack : () => undefined) as (r: HelloAck) => void;
      const p = HelloSchema.safeParse(payload);
      if (!p.success) return reply({ ok: false, error: wire('FRISSON_ERR_INVALID_PAYLOAD') });
      deps.store.getAgentCursor(scoped(p.data.agentId)).then(
        (cursor) => reply({ ok: true, cursor }),
        (err: unknown) => reply({ ok: false, error: toWireError(err) }),
      );
    });

    socket.on('batch', (payload: unknown, ack: unknown) => {
      // Every reply of a batch goes through the coalescer (in order), written at the end of this
      // event-loop iteration together with the other seats' acks.
      const reply = (r: BatchAck): void => acks.send(ack, r);
      const p = BatchSchema.safeParse(payload);
      if (!p.success) {
        const detail = p.error.issues
          .slice(0, 3)
          .map((i) => `${i.path.join('.')}: ${i.message}`)
          .join('; ');
        return reply({ ok: false, error: wire('FRISSON_ERR_INVALID_PAYLOAD', detail) });
      }
      const { seq, stats } = p.data;
      const samples = p.data.samples;
      const agentId = scoped(p.data.agentId);
      if (stats) deps.onAgentStats?.(agentId, stats);
      const inFlight = chains.size > 0 && chains.has(agentId);
      if (deps.cursors && !inFlight && !slot?.live) slot = deps.cursors.slot(agentId);
      const held = !inFlight && slot?.live ? slot : undefined;
      if (held) {
        if (seq <= held.seq) return reply({ ok: true, ackedThrough: held.seq, duplicate: true });
        // Copy only when something must be dropped (nearly every batch is all plausible).
        const accepted = allPlausible(samples) ? samples : samples.filter(plausible);
        const rejected = samples.length - accepted.length;
        const done: BatchAck = { ok: true, ackedThrough: seq };
        if (rejected > 0) done.rejectedSamples = rejected;
        let pending: void | Promise<void>;
        try {
          pending = deps.onSamples(accepted, { agentId, seq, binding });
        } catch (err) {
          return reply({ ok: false, error: toWireError(err) });
        }
        if (pending === undefined) {
          held.advance(seq);
          return reply(done);
        }
        // onSamples went async: finish in the agent's chain so later batches wait for it.
        serial(agentId, async () => {
          await pending;
          held.advance(seq);
          return done;
        }).then(reply, (err: unknown) => reply({ ok: false, error: toWireError(err) }));
        return;
      }
      serial(agentId, async () => {
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
      }).then(reply, (err: unknown) => reply({ ok: false, error: toWireError(err) }));
    });
  });

  return {
    close() {
      acks.flush();
      nsp.removeAllListeners('connection');
      nsp.disconnectSockets(true);
    },
  };
}
