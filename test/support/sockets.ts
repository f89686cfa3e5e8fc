/**
 * socket.io client helpers shared by the integration tests: connect once (no reconnection) and
 * wait for an event that satisfies a predicate.
 */
import { io, type Socket } from 'socket.io-client';

/** Connects to `url` (a namespace URL) with `auth`; rejects on `connect_error`. */
export function connectSocket(
  url: string,
  auth: object,
  opts: { forceNew?: boolean } = {},
): Promise<Socket> {
  const socket = io(url, {
    transports: ['websocket'],
    auth,
    reconnection: false,
    ...(opts.forceNew ? { forceNew: true } : {}),
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (err) => {
      socket.close();
      reject(err);
    });
  });
}

/** Resolves with the first `event` payload for which `pred` holds; rejects after `ms`. */
export function waitFor<T>(
  socket: Socket,
  event: string,
  pred: (v: T) => boolean,
  ms = 10_000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, on);
      reject(new Error(`timed out waiting for ${event}`));
    }, ms);
    const on = (v: T): void => {
      if (!pred(v)) return;
      clearTimeout(timer);
      socket.off(event, on);
      resolve(v);
    };
    socket.on(event, on);
  });
}
