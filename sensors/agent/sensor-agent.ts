/**
 * Venue sensor agent: collects per-seat samples, batches them and forwards them to the hub over
 * socket.io (`/seats`, see contracts/wire.ts). While the hub is unreachable samples accumulate in a
 * bounded BatchQueue; after reconnecting everything is delivered in order, each batch exactly once
 * (same seq on resend, hub dedupes with its stored cursor). One batch is in flight at a time, which
 * keeps ordering trivial; at 500 samples per batch that is ample for hundreds of seats.
 *
 * Permanent and transient failures are told apart:
 * - The hub refusing the token (handshake `connect_error` whose `data.code` is one of
 *   AUTH_REJECTION_CODES, or such a code in a `hello`/`batch` ack) is permanent: the agent closes
 *   the socket, stops buffering and emits one `auth-rejected` event. Retrying cannot help.
 * - Everything else is an outage: socket.io reconnects with backoff (0.5–2 s) after transport
 *   errors; a disconnect initiated by the hub (`io server disconnect`, e.g. a hub shutting down
 *   gracefully) or a non-auth refusal, after which socket.io does not reconnect by itself, is
 *   retried here with the same kind of backoff (0.5 s doubling to 5 s).
 */
import { io, type Socket } from 'socket.io-client';
import { z } from 'zod';
import type { HeartSample } from '../../contracts/heart.js';
import {
  SEAT_NAMESPACE,
  type BatchAck,
  type HelloAck,
  type SeatSample,
} from '../../contracts/wire.js';
import { BatchQueue } from './batch-queue.js';

/**
 * Hub error codes (contracts/errors.ts) meaning the token will never be accepted: missing, invalid or
 * forged (FRISSON_ERR_UNAUTHORIZED), expired, or not for this resource.
 */
export const AUTH_REJECTION_CODES: readonly string[] = [
  'FRISSON_ERR_UNAUTHORIZED',
  'FRISSON_ERR_TOKEN_EXPIRED',
  'FRISSON_ERR_FORBIDDEN',
];

/** The `data` a socket.io middleware refusal carries (`{ code, message }` from the hub). */
const RefusalSchema = z.object({ code: z.string().max(64), message: z.string().max(1000) });

const RECONNECT_MIN_MS = 500;
const RECONNECT_MAX_MS = 5000;

export interface SensorAgentOptions {
  hub: string;
  token: string;
  agentId: string;
  /** Batch interval, ms. Default 250. */
  flushMs?: number;
  maxBatch?: number;
  maxBufferedSamples?: number;
  /** Ack timeout, ms. Default 5000. */
  ackTimeoutMs?: number;
  onEvent?(e: SensorAgentEvent): void;
}

export type SensorAgentEvent =
  | { type: 'connected'; cursor: number }
  | { type: 'disconnected'; reason: string }
  | { type: 'rejected'; seq: number; code: string; message: string }
  /** The hub refused the token: permanent, the agent has stopped (see AUTH_REJECTION_CODES). */
  | { type: 'auth-rejected'; code: string; message: string }
  | { type: 'error'; message: string };

export interface SensorAgentStatus {
  connected: boolean;
  produced: number;
  delivered: number;
  buffered: number;
  dropped: number;
  seq: number;
}

export class SensorAgent {
  private readonly queue: BatchQueue;
  private readonly socket: Socket;
  private readonly flushMs: number;
  private readonly ackTimeoutMs: number;
  private timer: NodeJS.Timeout | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private reconnectAttempts = 0;
  private authRejection: { code: string; message: string } | null = null;
  private ready = false;
  private inFlight = false;
  private stopped = false;
  /** Set when stop() has closed the socket (reconnecting is still wanted while draining). */
  private closed = false;

  constructor(private readonly options: SensorAgentOptions) {
    this.queue = new BatchQueue({
      ...(options.maxBatch !== undefined ? { maxBatch: options.maxBatch } : {}),
      ...(options.maxBufferedSamples !== undefined
        ? { maxSamples: options.maxBufferedSamples }
        : {}),
    });
    this.flushMs = options.flushMs ?? 250;
    this.ackTimeoutMs = options.ackTimeoutMs ?? 5000;
    const base = options.hub.replace(/\/+$/, '');
    this.socket = io(`${base}${SEAT_NAMESPACE}`, {
      autoConnect: false,
      transports: ['websocket'],
      auth: { token: options.token },
      reconnection: true,
      reconnectionDelay: 500,
      reconnectionDelayMax: 2000,
      randomizationFactor: 0.2,
    });
    this.socket.on('connect', () => {
      this.reconnectAttempts = 0;
      void this.onConnect();
    });
    this.socket.on('disconnect', (reason) => {
      this.ready = false;
      this.emit({ type: 'disconnected', reason });
      // Disconnected by the hub (e.g. it is shutting down): socket.io leaves reconnecting to us.
      if (reason === 'io server disconnect') this.scheduleReconnect();
    });
    this.socket.on('connect_error', (err: Error) => {
      const refusal = RefusalSchema.safeParse((err as Error & { data?: unknown }).data);
      if (refusal.success && AUTH_REJECTION_CODES.includes(refusal.data.code)) {
        this.rejectAuth(refusal.data);
        return;
      }
      this.emit({ type: 'error', message: `connect: ${err.message}` });
      // A refusal by the hub's middleware stops socket.io's own reconnection; outages do not.
      if (!this.socket.active) this.scheduleReconnect();
    });
  }

  /** Set once the hub refused the token; the agent then neither buffers nor reconnects. */
  get rejected(): { code: string; message: string } | null {
    return this.authRejection;
  }

  status(): SensorAgentStatus {
    return {
      connected: this.ready,
      produced: this.queue.produced,
      delivered: this.queue.delivered,
      buffered: this.queue.size,
      dropped: this.queue.dropped,
      seq: this.queue.seq,
    };
  }

  start(): void {
    if (this.authRejection) return;
    this.stopped = false;
    this.closed = false;
    this.socket.connect();
    this.timer = setInterval(() => {
      this.queue.seal();
      void this.pump();
    }, this.flushMs);
  }

  add(seat: string, sample: HeartSample): void {
    if (this.stopped || this.authRejection) return;
    const s: SeatSample = { seat, t: sample.t };
    if (sample.bpm !== undefined) s.bpm = sample.bpm;
    if (sample.rr !== undefined) s.rr = sample.rr;
    if (sample.contact !== undefined) s.contact = sample.contact;
    if (sample.eda !== undefined) s.eda = sample.eda;
    this.queue.add(s);
  }

  /**
   * Stops accepting samples, tries to deliver what is buffered for up to `drainMs`, then closes
   * the socket. Resolves with the final status.
   */
  async stop(drainMs = 10_000): Promise<SensorAgentStatus> {
    this.stopped = true;
    this.queue.seal();
    const deadline = Date.now() + drainMs;
    while (this.queue.size > 0 && Date.now() < deadline && !this.authRejection) {
      void this.pump();
      await new Promise((r) => setTimeout(r, 50));
    }
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.closed = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    const final = this.status();
    this.socket.close();
    this.ready = false;
    return final;
  }

  private async onConnect(): Promise<void> {
    try {
      const ack = (await this.socket
        .timeout(this.ackTimeoutMs)
        .emitWithAck('hello', { agentId: this.options.agentId })) as HelloAck;
      if (!ack.ok) {
        if (AUTH_REJECTION_CODES.includes(ack.error.code)) return this.rejectAuth(ack.error);
        this.emit({ type: 'error', message: `hello refused: ${ack.error.code}` });
        return;
      }
      this.queue.resumeAfter(ack.cursor);
      this.ready = true;
      this.emit({ type: 'connected', cursor: ack.cursor });
      void this.pump();
    } catch (e) {
      this.emit({ type: 'error', message: `hello: ${e instanceof Error ? e.message : String(e)}` });
      // The socket stays up; retry the handshake shortly.
      setTimeout(() => {
        if (this.socket.connected && !this.ready && !this.closed) void this.onConnect();
      }, 500).unref();
    }
  }

  private async pump(): Promise<void> {
    while (this.ready && !this.inFlight) {
      const batch = this.queue.next();
      if (!batch) return;
      this.inFlight = true;
      try {
        const ack = (await this.socket.timeout(this.ackTimeoutMs).emitWithAck('batch', {
          agentId: this.options.agentId,
          seq: batch.seq,
          samples: batch.samples,
          stats: { buffered: this.queue.size, dropped: this.queue.dropped },
        })) as BatchAck;
        if (ack.ok) {
          this.queue.ackThrough(ack.ackedThrough);
        } else if (ack.error.code === 'FRISSON_ERR_INVALID_PAYLOAD') {
          // Resending a batch the hub considers malformed would block the queue forever.
          this.emit({ type: 'rejected', seq: batch.seq, ...ack.error });
          this.queue.discardHead();
        } else if (AUTH_REJECTION_CODES.includes(ack.error.code)) {
          this.rejectAuth(ack.error);
          return;
        } else {
          this.emit({ type: 'rejected', seq: batch.seq, ...ack.error });
          return;
        }
      } catch {
        // Timeout or disconnect: the same batch (same seq) goes again after reconnecting.
        return;
      } finally {
        this.inFlight = false;
      }
    }
  }

  /** Permanent: close the socket (no more attempts), stop batching, tell the owner once. */
  private rejectAuth(e: { code: string; message: string }): void {
    if (this.authRejection) return;
    this.authRejection = { code: e.code, message: e.message };
    this.ready = false;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    this.socket.close();
    this.emit({ type: 'auth-rejected', code: e.code, message: e.message });
  }

  /** Reconnects after a hub-side disconnect or refusal, 0.5 s doubling to 5 s (±20 %). */
  private scheduleReconnect(): void {
    if (this.closed || this.authRejection || this.reconnectTimer) return;
    const base = Math.min(RECONNECT_MIN_MS * 2 ** this.reconnectAttempts, RECONNECT_MAX_MS);
    this.reconnectAttempts++;
    const delay = base * (0.8 + 0.4 * Math.random());
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (!this.closed && !this.authRejection && !this.socket.connected) this.socket.connect();
    }, delay);
    this.reconnectTimer.unref?.();
  }

  private emit(e: SensorAgentEvent): void {
    try {
      this.options.onEvent?.(e);
    } catch {
      // listener errors are not the agent's
    }
  }
}
