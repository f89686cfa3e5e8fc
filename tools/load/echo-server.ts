/**
 * The bare socket.io baseline for `frisson load`: the same transport options as the hub
 * (server/app.ts), and `sample` (home) / `/seats` `hello` and `batch` (venue) handlers that only
 * acknowledge. Whatever the hub costs above this is Frisson's own overhead. Runs as a child process
 * (forked by the load command) so its CPU and memory are measured apart from the load generator's;
 * reports its port over IPC.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { MAX_MESSAGE_BYTES } from '../../contracts/wire.js';

export interface EchoServerHandle {
  port: number;
  close(): Promise<void>;
}

export function startEchoServer(port = 0, host = '127.0.0.1'): Promise<EchoServerHandle> {
  const http = createServer();
  const io = new Server(http, {
    transports: ['websocket', 'polling'],
    maxHttpBufferSize: MAX_MESSAGE_BYTES,
  });
  io.on('connection', (socket) => {
    socket.on('sample', (_payload: unknown, ack?: unknown) => {
      if (typeof ack === 'function') (ack as (r: { ok: true }) => void)({ ok: true });
    });
  });
  // Venue seats: the agent protocol's events on `/seats`, acknowledged without any processing.
  io.of('/seats').on('connection', (socket) => {
    socket.on('hello', (_payload: unknown, ack?: unknown) => {
      if (typeof ack === 'function') (ack as (r: unknown) => void)({ ok: true, cursor: 0 });
    });
    socket.on('batch', (payload: unknown, ack?: unknown) => {
      const seq = (payload as { seq?: unknown } | null)?.seq;
      if (typeof ack === 'function') (ack as (r: unknown) => void)({ ok: true, ackedThrough: seq });
    });
  });
  return new Promise((resolve, reject) => {
    http.once('error', reject);
    http.listen(port, host, () => {
      resolve({
        port: (http.address() as AddressInfo).port,
        close: () => new Promise<void>((done) => void io.close(() => done())),
      });
    });
  });
}

// Child-process entry: `fork(echo-server)` → { type: 'listening', port } over IPC.
if (process.send && process.argv.includes('--frisson-echo-child')) {
  const handle = await startEchoServer();
  process.send({ type: 'listening', port: handle.port });
  process.on('disconnect', () => void handle.close().then(() => process.exit(0)));
}
