/**
 * What a socket.io connection must get past before any namespace sees it (issue 22, hostile
 * clients):
 *
 * - a connection cap: a new engine.io connection beyond `maxConnections` is answered
 *   `503 FRISSON_ERR_UNAVAILABLE` with `Retry-After` (polling and websocket upgrade alike), so idle
 *   sockets cannot take every file descriptor;
 * - a small frame limit until the connection authenticates: the socket.io packet decoder of each
 *   connection refuses a frame over `preAuthFrameBytes` before parsing it (socket.io then closes
 *   the connection); once any namespace authenticates the connection (`authenticated`) the limit
 *   becomes the transport's (`maxHttpBufferSize`, which a sensor agent's catch-up batches need);
 * - an authentication deadline: a connection that has not authenticated within `authTimeoutMs`
 *   is closed.
 *
 * socket.io's `maxHttpBufferSize` is one value for every connection, so the per-connection limit
 * lives in a `Decoder` subclass handed to socket.io as its `parser` (socket.io creates one decoder
 * per connection). Reaching a connection's decoder uses socket.io's `Client#decoder`, which its
 * typings mark private; test/integration/hub-admission.test.ts fails if that ever changes.
 *
 * @example
 *   const admission = new Admission({ maxConnections: 5000, preAuthFrameBytes: 32768, authTimeoutMs: 5000, maxFrameBytes });
 *   const io = new Server({ parser: admission.parser, maxHttpBufferSize: maxFrameBytes });
 *   io.attach(http);
 *   admission.attach(io);
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket as NetSocket } from 'node:net';
import type { Server, Socket } from 'socket.io';
import { Decoder, Encoder } from 'socket.io-parser';
import { FrissonError } from '../../contracts/errors.js';

export interface AdmissionOptions {
  maxConnections: number;
  /** Frame limit until a namespace authenticates the connection, bytes. */
  preAuthFrameBytes: number;
  /** Frame limit after it (the transport's `maxHttpBufferSize`), bytes. */
  maxFrameBytes: number;
  authTimeoutMs: number;
  /** Retry-After of a refused connection, seconds. */
  retryAfterS?: number;
}

/** A socket.io packet decoder with a frame limit that can be raised. */
class LimitedDecoder extends Decoder {
  limit: number;

  constructor(limit: number) {
    super();
    this.limit = limit;
  }

  override add(obj: unknown): void {
    const size =
      typeof obj === 'string'
        ? obj.length
        : obj instanceof ArrayBuffer || ArrayBuffer.isView(obj)
          ? obj.byteLength
          : 0;
    // Thrown before any parsing: socket.io's Client closes the connection on a decoder error.
    if (size > this.limit) {
      throw new Error(`frame of ${size} bytes over the ${this.limit}-byte limit`);
    }
    super.add(obj);
  }
}

interface EngineSocket {
  readonly id: string;
  close(): void;
  once(event: 'close', fn: () => void): unknown;
}

export class Admission {
  /** Hand to `new Server({ parser })`. */
  readonly parser: { Encoder: typeof Encoder; Decoder: new () => Decoder };
  private readonly o: AdmissionOptions;
  private readonly deadlines = new Map<string, NodeJS.Timeout>();
  private readonly authed = new WeakSet<object>();
  private detach: (() => void) | null = null;

  constructor(opts: AdmissionOptions) {
    this.o = opts;
    const limit = opts.preAuthFrameBytes;
    this.parser = {
      Encoder,
      Decoder: class extends LimitedDecoder {
        constructor() {
          super(limit);
        }
      },
    };
  }

  /** Call once socket.io is attached to the HTTP server (`io.engine` exists from then on). */
  attach(io: Server): void {
    const engine = io.engine as unknown as {
      clientsCount: number;
      use(
        fn: (req: IncomingMessage, res: ServerResponse, next: (err?: Error) => void) => void,
      ): void;
      on(event: 'connection', fn: (conn: EngineSocket) => void): unknown;
      off(event: 'connection', fn: (conn: EngineSocket) => void): unknown;
    };
    let live = true;
    engine.use((req, res, next) => {
      // Only a new connection counts: requests of an existing one carry its `sid`.
      if (!live || req.url?.includes('sid=') || engine.clientsCount < this.o.maxConnections) {
        return next();
      }
      this.refuse(req, res);
    });
    const onConnection = (conn: EngineSocket): void => {
      const timer = setTimeout(() => {
        this.deadlines.delete(conn.id);
        if (!this.authed.has(conn)) conn.close();
      }, this.o.authTimeoutMs);
      timer.unref();
      this.deadlines.set(conn.id, timer);
      conn.once('close', () => this.clear(conn.id));
    };
    engine.on('connection', onConnection);
    this.detach = () => {
      live = false;
      engine.off('connection', onConnection);
    };
  }

  /**
   * A namespace authenticated `socket` (a handshake token, a `join`): its connection keeps
   * living and may send frames up to the transport's limit.
   */
  authenticated(socket: Socket): void {
    const conn = socket.conn as unknown as EngineSocket;
    this.authed.add(conn);
    this.clear(conn.id);
    const decoder = (socket.client as unknown as { decoder?: unknown }).decoder;
    if (decoder instanceof LimitedDecoder) decoder.limit = this.o.maxFrameBytes;
  }

  /** Clears every deadline and stops counting; connections are left to socket.io's close. */
  destroy(): void {
    this.detach?.();
    this.detach = null;
    for (const timer of this.deadlines.values()) clearTimeout(timer);
    this.deadlines.clear();
  }

  private clear(id: string): void {
    const timer = this.deadlines.get(id);
    if (timer) clearTimeout(timer);
    this.deadlines.delete(id);
  }

  /** 503 with a coded body; on a websocket upgrade written to the raw socket. */
  private refuse(req: IncomingMessage, res: ServerResponse): void {
    const retry = String(this.o.retryAfterS ?? 5);
    const body = JSON.stringify({
      error: new FrissonError(
        'FRISSON_ERR_UNAVAILABLE',
        `the hub holds its ${this.o.maxConnections} connections; retry in ${retry} s`,
      ).toWire(),
    });
    if (req.headers.upgrade) {
      // engine.io hands websocket upgrades a response object that writes nothing: answer on the
      // raw socket and close it (the upgrade goes no further).
      const raw = (res as unknown as { socket: NetSocket }).socket;
      raw.end(
        'HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Type: application/json\r\n' +
          `Retry-After: ${retry}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
      return;
    }
    res.writeHead(503, { 'Content-Type': 'application/json', 'Retry-After': retry });
    res.end(body);
  }
}
