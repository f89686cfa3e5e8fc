/**
 * Venue sensor agent: collects per-seat samples, batches them and forwards them to the hub over
 * socket.io (`/seats`, see agent-protocol.ts). While the hub is unreachable samples accumulate in a
 * bounded BatchQueue; after reconnecting everything is delivered in order, each batch exactly once
 * (same seq on resend, hub dedupes with its stored cursor). One batch is in flight at a time, which
 * keeps ordering trivial; at 500 samples per batch that is ample for hundreds of seats.
 */
import { io, type Socket } from 'socket.io-client';
import type { HeartSample } from '../signal/signal-types.js';
import { SEAT_NAMESPACE, type BatchAck, type HelloAck } from './agent-protocol.js';
import { BatchQueue, type SeatSampleWire } from './batch-queue.js';

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
  private ready = false;
  private inFlight = false;
  private stopped = false;

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
    this.socket.on('connect', () => void this.onConnect());
    this.socket.on('disconnect', (reason) => {
      this.ready = false;
      this.emit({ type: 'disconnected', reason });
    });
    this.socket.on('connect_error', (err: Error) => {
      this.emit({ type: 'error', message: `connect: ${err.message}` });
    });
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
    this.stopped = false;
    this.socket.connect();
    this.timer = setInterval(() => {
      this.queue.seal();
      void this.pump();
    }, this.flushMs);
  }

  add(seat: string, sample: HeartSample): void {
    if (this.stopped) return;
    const s: SeatSampleWire = { seat, t: sample.t };
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
    while (this.queue.size > 0 && Date.now() < deadline) {
      void this.pump();
      await new Promise((r) => setTimeout(r, 50));
    }
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
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
        if (this.socket.connected && !this.ready && !this.stopped) void this.onConnect();
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

  private emit(e: SensorAgentEvent): void {
    try {
      this.options.onEvent?.(e);
    } catch {
      // listener errors are not the agent's
    }
  }
}
