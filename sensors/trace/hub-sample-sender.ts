/**
 * Sends HeartSamples into a Frisson hub as a viewer would: socket.io default namespace, handshake
 * auth `{ sessionId, token }`, one `sample` event per sample with an acknowledgement
 * (`{ ok: true } | { ok: false, error: { code, message } }`, see contracts/wire.ts).
 * Used by `frisson sensors replay`.
 */
import { io, type Socket } from 'socket.io-client';
import type { TraceSample } from './trace-format.js';

export interface HubSampleSenderOptions {
  hub: string;
  sessionId: string;
  token: string;
  /** Ack timeout, ms. Default 5000. */
  ackTimeoutMs?: number;
  /** Connection timeout, ms. Default 10 000. */
  connectTimeoutMs?: number;
}

type SampleAck = { ok: true } | { ok: false; error?: { code?: string; message?: string } };

/**
 * @example
 * const hub = await HubSampleSender.connect({ hub: 'http://localhost:8080', sessionId, token });
 * await hub.send({ t: 0, bpm: 72 });
 * hub.close();
 */
export class HubSampleSender {
  /** Samples not sent because they carry neither bpm nor RR (the hub would refuse them). */
  skipped = 0;
  /** Error codes returned by the hub, with counts. */
  readonly errors = new Map<string, number>();

  private constructor(
    private readonly socket: Socket,
    private readonly ackTimeoutMs: number,
  ) {}

  static connect(opts: HubSampleSenderOptions): Promise<HubSampleSender> {
    const socket = io(opts.hub, {
      transports: ['websocket'],
      auth: { sessionId: opts.sessionId, token: opts.token },
      reconnection: true,
      timeout: opts.connectTimeoutMs ?? 10_000,
    });
    return new Promise((resolve, reject) => {
      const onError = (err: Error & { data?: { code?: string; message?: string } }): void => {
        socket.off('connect', onConnect);
        socket.close();
        const code = err.data?.code ? `${err.data.code}: ` : '';
        reject(
          new Error(`cannot connect to ${opts.hub}: ${code}${err.data?.message ?? err.message}`),
        );
      };
      const onConnect = (): void => {
        socket.off('connect_error', onError);
        resolve(new HubSampleSender(socket, opts.ackTimeoutMs ?? 5000));
      };
      socket.once('connect', onConnect);
      socket.once('connect_error', onError);
    });
  }

  async send(sample: TraceSample): Promise<boolean> {
    const payload: Record<string, unknown> = { t: Date.now() };
    if (sample.bpm !== undefined) payload.bpm = sample.bpm;
    if (sample.rr !== undefined && sample.rr.length > 0) payload.rr = sample.rr;
    if (sample.contact !== undefined) payload.contact = sample.contact;
    if (sample.eda !== undefined) payload.eda = sample.eda;
    if (payload.bpm === undefined && payload.rr === undefined) {
      this.skipped += 1;
      return false;
    }
    try {
      const ack = (await this.socket
        .timeout(this.ackTimeoutMs)
        .emitWithAck('sample', payload)) as SampleAck;
      if (ack && ack.ok === true) return true;
      const code = (ack && !ack.ok && ack.error?.code) || 'unknown';
      this.errors.set(code, (this.errors.get(code) ?? 0) + 1);
      return false;
    } catch {
      this.errors.set('ack-timeout', (this.errors.get('ack-timeout') ?? 0) + 1);
      return false;
    }
  }

  close(): void {
    this.socket.close();
  }
}
